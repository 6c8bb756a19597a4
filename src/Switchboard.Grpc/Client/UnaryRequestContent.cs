using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Switchboard.Grpc.Framing;

namespace Switchboard.Grpc.Client;

/// <summary>The body of a single-request call: one framed message, serialized once into a pooled buffer.</summary>
internal sealed class UnaryRequestContent : HttpContent
{
    internal static readonly MediaTypeHeaderValue GrpcContentType = new(GrpcProtocol.ContentType);

    private readonly object _gate = new();
    private readonly int _length;
    private byte[]? _buffer;
    private bool _writing;
    private bool _disposed;

    public UnaryRequestContent(IMessage message, int maxSendSize)
    {
        // Serializing now makes an oversized request fail at once, before anything is sent.
        _buffer = MessageFraming.RentFramed(message, maxSendSize, out _length);
        Headers.ContentType = GrpcContentType;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // HttpClient may send the body again on a fresh connection (REFUSED_STREAM, GOAWAY), so the buffer
        // stays until the call disposes the content; a write in flight at that moment returns it itself.
        byte[] buffer;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed || _buffer is null, this);
            buffer = _buffer;
            _writing = true;
        }

        try
        {
            await stream.WriteAsync(buffer.AsMemory(0, _length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _writing = false;
                if (_disposed)
                {
                    ReturnBuffer();
                }
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        lock (_gate)
        {
            _disposed = true;
            if (!_writing)
            {
                ReturnBuffer();
            }
        }

        base.Dispose(disposing);
    }

    private void ReturnBuffer()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
