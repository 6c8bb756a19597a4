using System.Net;

namespace Switchboard.Grpc.Client;

/// <summary>
/// The body of a streaming-request call. HttpClient sends the headers and hands over the request stream;
/// the call's writer writes messages into it until <see cref="Complete"/> ends the body (END_STREAM).
/// </summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamingRequestContent() => Headers.ContentType = UnaryRequestContent.GrpcContentType;

    public Task<Stream> StreamAsync => _stream.Task;

    public void Complete() => _complete.TrySetResult();

    public void Abort()
    {
        _stream.TrySetCanceled();
        _complete.TrySetCanceled();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // Send the headers now: a call that writes nothing yet (a Connect named by metadata, a server that
        // speaks first) must still reach the server. HTTP/2 holds them in the connection's buffer otherwise.
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _stream.TrySetResult(stream);
        using var registration = cancellationToken.Register(static state => ((StreamingRequestContent)state!).Abort(), this);
        await _complete.Task;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
