using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;
using Switchboard.Grpc.Framing;

namespace Switchboard.Grpc.Server;

/// <summary>Parses framed requests straight from Kestrel's request pipe, message by message.</summary>
internal sealed class HttpRequestStreamReader<T>(HttpServerCallContext call, MessageParser<T> parser) : IAsyncStreamReader<T>
    where T : class, IMessage<T>
{
    private static readonly Task<bool> True = Task.FromResult(true);
    private static readonly Task<bool> False = Task.FromResult(false);

    private T? _current;
    private bool _completed;

    public T Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first, and use Current only while it returned true.");

    public Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        if (_completed)
        {
            _current = null;
            return False;
        }

        // Fast path: a whole message is already buffered, so no state machine and no task is allocated.
        if (call.BodyReader.TryRead(out var result) && TryTakeMessage(call.BodyReader, result, out var done))
        {
            return done ? False : True;
        }

        return MoveNextAsync(cancellationToken);
    }

    private async Task<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.CancellationToken)
            : null;
        var token = linked?.Token ?? call.CancellationToken;
        var reader = call.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(token);
            if (TryTakeMessage(reader, result, out var done))
            {
                return !done;
            }
        }
    }

    /// <summary>
    /// Takes one message (or the end of the stream) out of <paramref name="result"/> and advances the reader;
    /// false when more data is needed, with the reader told what was examined so it waits instead of spinning.
    /// </summary>
    private bool TryTakeMessage(PipeReader reader, ReadResult result, out bool done)
    {
        done = false;
        var buffer = result.Buffer;
        bool found;
        ReadOnlySequence<byte> payload;
        bool compressed;
        SequencePosition end;
        try
        {
            found = MessageFraming.TryReadMessage(buffer, call.MaxReceiveMessageSize, out payload, out compressed, out end);
        }
        catch
        {
            reader.AdvanceTo(buffer.Start, buffer.End);
            throw;
        }

        if (found)
        {
            try
            {
                _current = MessageFraming.Parse(parser, payload, compressed, call.RequestEncoding, call.MaxReceiveMessageSize, "request");
            }
            finally
            {
                reader.AdvanceTo(end);
            }

            return true;
        }

        if (result.IsCompleted)
        {
            reader.AdvanceTo(buffer.End);
            if (!buffer.IsEmpty)
            {
                throw new RpcException(new Status(StatusCode.Internal, "Incomplete message: the request stream ended inside a message."));
            }

            _completed = true;
            _current = null;
            call.RequestCompleted = true;
            done = true;
            return true;
        }

        if (result.IsCanceled)
        {
            reader.AdvanceTo(buffer.Start, buffer.End);
            throw new OperationCanceledException("Reading the request stream was cancelled.");
        }

        reader.AdvanceTo(buffer.Start, buffer.End);
        return false;
    }
}
