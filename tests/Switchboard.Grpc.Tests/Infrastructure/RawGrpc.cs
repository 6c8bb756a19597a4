using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace Switchboard.Grpc.Tests.Infrastructure;

/// <summary>Hand-made gRPC requests over plain HttpClient, for bodies and headers no gRPC client would send.</summary>
public static class RawGrpc
{
    public sealed record Response(HttpResponseMessage Message, byte[] Body)
    {
        public HttpStatusCode StatusCode => Message.StatusCode;

        /// <summary>grpc-status from the trailers, or from the headers of a trailers-only response.</summary>
        public string? GrpcStatus => Trailer("grpc-status") ?? Header("grpc-status");

        public string? GrpcMessage => Trailer("grpc-message") ?? Header("grpc-message");

        public string? Header(string name) =>
            Message.Headers.NonValidated.TryGetValues(name, out var v) ? v.ToString()
            : Message.Content.Headers.NonValidated.TryGetValues(name, out var c) ? c.ToString() : null;

        public string? Trailer(string name) => Message.TrailingHeaders.NonValidated.TryGetValues(name, out var v) ? v.ToString() : null;
    }

    public static byte[] Frame(byte[] message, byte flags = 0)
    {
        var framed = new byte[5 + message.Length];
        framed[0] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed, 5);
        return framed;
    }

    public static async Task<Response> PostAsync(
        Uri baseAddress,
        string path,
        byte[] body,
        string contentType = "application/grpc",
        IEnumerable<KeyValuePair<string, string>>? headers = null,
        Version? version = null)
    {
        using var handler = new SocketsHttpHandler();
        using var client = new HttpClient(handler);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, path))
        {
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var header in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new Response(response, bytes);
    }
}
