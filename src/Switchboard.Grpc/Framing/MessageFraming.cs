using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Google.Protobuf;

namespace Switchboard.Grpc.Framing;

/// <summary>
/// The gRPC length-prefixed message: 1 flag byte (bit 0 = compressed), a 4-byte big-endian length, the bytes.
/// Reads parse straight from a pipe's <see cref="ReadOnlySequence{T}"/>; writes go straight into an
/// <see cref="IBufferWriter{T}"/>, so the hot path allocates nothing but the message object.
/// </summary>
internal static class MessageFraming
{
    // Below this, a message is serialized into one contiguous span of the pipe; above it, the pipe's
    // writer is fed segment by segment so a large message does not force one huge buffer.
    private const int ContiguousWriteLimit = 64 * 1024;

    /// <summary>
    /// Tries to cut one whole message off the front of <paramref name="buffer"/>. Checks the declared
    /// length against <paramref name="maxSize"/> as soon as the header is there, before buffering the body.
    /// </summary>
    /// <exception cref="RpcException">RESOURCE_EXHAUSTED when the declared length is over the limit.</exception>
    public static bool TryReadMessage(
        in ReadOnlySequence<byte> buffer,
        int maxSize,
        out ReadOnlySequence<byte> payload,
        out bool compressed,
        out SequencePosition end)
    {
        payload = default;
        compressed = false;
        end = buffer.Start;
        if (!TryReadHeader(buffer, maxSize, out var flags, out var length))
        {
            return false;
        }

        if (buffer.Length - GrpcProtocol.HeaderSize < length)
        {
            return false;
        }

        compressed = (flags & 1) != 0;
        payload = buffer.Slice(GrpcProtocol.HeaderSize, length);
        end = payload.End;
        return true;
    }

    /// <summary>Reads the 5-byte header when it is all there, even across segments, and checks the limit.</summary>
    public static bool TryReadHeader(in ReadOnlySequence<byte> buffer, int maxSize, out byte flags, out int length)
    {
        flags = 0;
        length = 0;
        if (buffer.Length < GrpcProtocol.HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[GrpcProtocol.HeaderSize];
        var first = buffer.FirstSpan;
        if (first.Length >= GrpcProtocol.HeaderSize)
        {
            first[..GrpcProtocol.HeaderSize].CopyTo(header);
        }
        else
        {
            buffer.Slice(0, GrpcProtocol.HeaderSize).CopyTo(header);
        }

        flags = header[0];
        if (flags > 1)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Invalid message flags 0x{flags:x2}: only 0 (plain) and 1 (compressed) are defined."));
        }

        var declared = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (declared > (uint)maxSize)
        {
            throw new RpcException(new Status(
                StatusCode.ResourceExhausted,
                $"Received message larger than max ({declared} vs. {maxSize})"));
        }

        length = (int)declared;
        return true;
    }

    /// <summary>Parses a payload, decompressing it first when its flag says so.</summary>
    /// <exception cref="RpcException">INTERNAL for malformed protobuf or compression, UNIMPLEMENTED for an unknown encoding.</exception>
    public static T Parse<T>(MessageParser<T> parser, in ReadOnlySequence<byte> payload, bool compressed, string? encoding, int maxSize, string what)
        where T : IMessage<T>
    {
        try
        {
            if (!compressed)
            {
                return parser.ParseFrom(payload);
            }

            return parser.ParseFrom(Decompress(payload, encoding, maxSize));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Failed to deserialize {what} message: {ex.Message}"));
        }
    }

    /// <summary>Writes the header and the message into <paramref name="writer"/> without flushing.</summary>
    /// <exception cref="RpcException">RESOURCE_EXHAUSTED when the message is over <paramref name="maxSize"/>.</exception>
    public static void WriteMessage(IBufferWriter<byte> writer, IMessage message, int maxSize)
    {
        var size = message.CalculateSize();
        if (size > maxSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Sending message larger than max ({size} vs. {maxSize})"));
        }

        if (size <= ContiguousWriteLimit)
        {
            var span = writer.GetSpan(GrpcProtocol.HeaderSize + size);
            span[0] = 0;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
            message.WriteTo(span.Slice(GrpcProtocol.HeaderSize, size));
            writer.Advance(GrpcProtocol.HeaderSize + size);
            return;
        }

        var header = writer.GetSpan(GrpcProtocol.HeaderSize);
        header[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)size);
        writer.Advance(GrpcProtocol.HeaderSize);
        message.WriteTo(writer);
    }

    /// <summary>Serializes a framed message into a rented array; the caller returns it to the pool.</summary>
    public static byte[] RentFramed(IMessage message, int maxSize, out int length)
    {
        var size = message.CalculateSize();
        if (size > maxSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Sending message larger than max ({size} vs. {maxSize})"));
        }

        length = GrpcProtocol.HeaderSize + size;
        var array = ArrayPool<byte>.Shared.Rent(length);
        array[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(array.AsSpan(1), (uint)size);
        message.WriteTo(array.AsSpan(GrpcProtocol.HeaderSize, size));
        return array;
    }

    private static byte[] Decompress(in ReadOnlySequence<byte> payload, string? encoding, int maxSize)
    {
        if (encoding is null || string.Equals(encoding, GrpcProtocol.IdentityEncoding, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Status(StatusCode.Internal, "Message has the compressed flag set but the call declared no grpc-encoding."));
        }

        if (!string.Equals(encoding, GrpcProtocol.GzipEncoding, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, $"Message compressed with '{encoding}', which is not supported; supported: {GrpcProtocol.SupportedEncodings}."));
        }

        try
        {
            using var input = new MemoryStream(payload.ToArray());
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = gzip.Read(chunk, 0, chunk.Length)) > 0)
                {
                    if (output.Length + read > maxSize)
                    {
                        throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Decompressed message larger than max ({maxSize})."));
                    }

                    output.Write(chunk, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Failed to decompress gzip message: {ex.Message}"));
        }
    }
}
