using System.Buffers;
using Switchboard.Grpc.Framing;

namespace Switchboard.Grpc.Tests.Framing;

/// <summary>The pieces of the wire format: message prefix, grpc-timeout, grpc-message, binary metadata.</summary>
public sealed class FramingTests
{
    [Fact]
    public void A_message_whose_header_spans_buffer_segments_is_read_whole()
    {
        byte[] framed = [0, 0, 0, 0, 3, 10, 20, 30, 99];
        var buffer = Segments(framed[..1], framed[1..3], framed[3..6], framed[6..]);

        Assert.True(MessageFraming.TryReadMessage(buffer, 100, out var payload, out var compressed, out var end));

        Assert.False(compressed);
        Assert.Equal(new byte[] { 10, 20, 30 }, payload.ToArray());
        Assert.Equal(new byte[] { 99 }, buffer.Slice(end).ToArray());
    }

    [Fact]
    public void An_incomplete_message_is_not_read()
    {
        var buffer = Segments([0, 0, 0], [0, 4, 1, 2, 3]);

        Assert.False(MessageFraming.TryReadMessage(buffer, 100, out _, out _, out _));
    }

    [Fact]
    public void A_declared_length_over_the_limit_is_refused_from_the_header_alone()
    {
        var buffer = Segments([0, 0, 0, 1, 0]);

        var error = Assert.Throws<RpcException>(() => MessageFraming.TryReadMessage(buffer, 255, out _, out _, out _));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("3S", 30_000_000L)]
    [InlineData("100m", 1_000_000L)]
    [InlineData("250u", 2_500L)]
    [InlineData("1000n", 10L)]
    [InlineData("99999999S", 999_999_990_000_000L)]
    public void Grpc_timeout_values_parse_in_every_unit(string value, long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var timeout));
        Assert.Equal(ticks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("123456789S")]
    [InlineData("1x")]
    [InlineData("-1S")]
    [InlineData("1.5S")]
    public void Invalid_grpc_timeout_values_are_rejected(string value)
    {
        Assert.False(GrpcTimeout.TryParse(value, out _));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(10_000L)]
    [InlineData(5_000_000_000L)]
    [InlineData(3_000_000_000_000_000L)]
    public void A_formatted_timeout_fits_eight_digits_and_never_shortens(long ticks)
    {
        var text = GrpcTimeout.Format(TimeSpan.FromTicks(ticks));

        Assert.InRange(text.Length, 2, 9);
        Assert.True(GrpcTimeout.TryParse(text, out var parsed));
        Assert.True(parsed.Ticks >= ticks || text.EndsWith('H'), $"{text} is shorter than {ticks} ticks");
    }

    [Theory]
    [InlineData("plain text stays")]
    [InlineData("50% off")]
    [InlineData("\t\ntabs\r\nand newlines")]
    [InlineData("Unicode ☺ and 😈")]
    public void Status_messages_survive_percent_encoding(string message)
    {
        var encoded = PercentEncoding.Encode(message);

        Assert.All(encoded, c => Assert.InRange(c, ' ', '~'));
        Assert.Equal(message, PercentEncoding.Decode(encoded));
    }

    [Theory]
    [InlineData("100%", "100%")]
    [InlineData("%zz bad", "%zz bad")]
    [InlineData("%E2%98", "\uFFFD")]
    public void Percent_decoding_never_fails_on_malformed_input(string wire, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Decode(wire));
    }

    [Theory]
    [InlineData("q6ur")]
    [InlineData("q6s")]
    [InlineData("AAE")]
    [InlineData("AAE=")]
    public void Binary_metadata_accepts_padded_and_unpadded_base64(string value)
    {
        var bytes = MetadataCodec.FromBase64Lenient(value);

        Assert.Equal(Convert.FromBase64String(value.PadRight((value.Length + 3) / 4 * 4, '=')), bytes);
    }

    [Fact]
    public void Metadata_keys_are_lower_case_and_known_header_names_share_one_string()
    {
        // Kestrel hands known headers over in their registered spelling; each request's copy must not be a new string.
        var first = new Metadata.Entry("User-Agent", "a");
        var second = new Metadata.Entry("User-Agent", "b");

        Assert.Equal("user-agent", first.Key);
        Assert.Same(first.Key, second.Key);
        Assert.Equal("authorization", new Metadata.Entry("Authorization", "Bearer k").Key);
        Assert.Equal("x-tenant-id", new Metadata.Entry("X-Tenant-ID", "t").Key);
        Assert.Equal("trace-bin", new Metadata.Entry("Trace-Bin", [1]).Key);
    }

    [Fact]
    public void Metadata_refuses_keys_it_cannot_send()
    {
        Assert.Throws<ArgumentException>(() => new Metadata { { "bad key", "v" } });
        Assert.Throws<ArgumentException>(() => new Metadata { { "data-bin", "text" } });
        Assert.Throws<ArgumentException>(() => new Metadata { { "data", new byte[] { 1 } } });
    }

    private static ReadOnlySequence<byte> Segments(params byte[][] parts)
    {
        var first = new Segment(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1))
        {
            last = last.Append(part);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
