using System.IO.Pipelines;
using Google.Protobuf;

namespace Switchboard.Grpc.Server;

/// <summary>Writes framed responses straight into Kestrel's response pipe and flushes each one.</summary>
internal sealed class HttpResponseStreamWriter<T>(HttpServerCallContext call) : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    private bool _writing;

    public Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_writing)
        {
            throw new InvalidOperationException("A write is already in progress: await each WriteAsync before the next.");
        }

        var token = cancellationToken.CanBeCanceled ? cancellationToken : call.CancellationToken;
        token.ThrowIfCancellationRequested();
        call.CancellationToken.ThrowIfCancellationRequested();
        call.WriteMessage(message);
        var flush = call.BodyWriter.FlushAsync(token);
        if (flush.IsCompletedSuccessfully)
        {
            return Task.CompletedTask;
        }

        return AwaitFlushAsync(flush);
    }

    private async Task AwaitFlushAsync(ValueTask<FlushResult> flush)
    {
        _writing = true;
        try
        {
            await flush;
        }
        finally
        {
            _writing = false;
        }
    }
}
