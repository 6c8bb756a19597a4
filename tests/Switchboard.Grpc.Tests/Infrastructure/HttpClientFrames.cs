using System.Net;
using System.Net.Http.Headers;

namespace Switchboard.Grpc.Tests.Infrastructure;

/// <summary>Sends a request body as separate flushed writes, so each chunk leaves in its own DATA frame.</summary>
public sealed class HttpClientFrames(Uri baseAddress) : IAsyncDisposable
{
    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler());

    public async Task<RawGrpc.Response> PostInChunksAsync(string path, IReadOnlyList<byte[]> chunks)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ChunkedContent(chunks),
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        var response = await _invoker.SendAsync(request, CancellationToken.None);
        return new RawGrpc.Response(response, await response.Content.ReadAsByteArrayAsync());
    }

    public ValueTask DisposeAsync()
    {
        _invoker.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class ChunkedContent : HttpContent
    {
        private readonly IReadOnlyList<byte[]> _chunks;

        public ChunkedContent(IReadOnlyList<byte[]> chunks)
        {
            _chunks = chunks;
            Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            foreach (var chunk in _chunks)
            {
                await stream.WriteAsync(chunk);
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
