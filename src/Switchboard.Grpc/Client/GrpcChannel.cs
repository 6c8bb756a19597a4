using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;

namespace Switchboard.Grpc.Client;

/// <summary>
/// A connection to one gRPC server address over HTTP/2 (h2c for <c>http://</c>), multiplexing any number of
/// concurrent calls and opening more connections when the server's stream limit is reached. Thread-safe;
/// make one per address and keep it.
/// </summary>
/// <example>
/// <code>
/// using var channel = GrpcChannel.ForAddress("http://127.0.0.1:5000");
/// var login = new Method&lt;LoginRequest, LoginReply&gt;(MethodType.Unary, "switchboard.v1.AgentDesk", "Login", LoginReply.Parser);
/// var reply = await channel.AsyncUnaryCall(login, new LoginRequest { AgentId = "a1" },
///     new CallOptions(deadline: DateTime.UtcNow.AddSeconds(5)));
/// </code>
/// </example>
public sealed class GrpcChannel : IDisposable
{
    private readonly ConcurrentDictionary<string, Uri> _methodUris = new(StringComparer.Ordinal);

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        Address = address;
        MaxReceiveMessageSize = options.MaxReceiveMessageSize;
        MaxSendMessageSize = options.MaxSendMessageSize;
        Invoker = options.HttpHandler is { } handler
            ? new HttpMessageInvoker(handler, options.DisposeHttpHandler)
            : new HttpMessageInvoker(CreateHandler(options), disposeHandler: true);
    }

    /// <summary>The server address, for example <c>http://127.0.0.1:5000</c>.</summary>
    public Uri Address { get; }

    internal HttpMessageInvoker Invoker { get; }

    internal int MaxReceiveMessageSize { get; }

    internal int MaxSendMessageSize { get; }

    /// <summary>Creates a channel for <paramref name="address"/> (<c>http://host:port</c> for h2c).</summary>
    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) =>
        ForAddress(new Uri(address, UriKind.Absolute), options);

    /// <summary>Creates a channel for <paramref name="address"/> (<c>http://host:port</c> for h2c).</summary>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"Address '{address}' must be http:// (h2c) or https://.", nameof(address));
        }

        return new GrpcChannel(address, options ?? new GrpcChannelOptions());
    }

    /// <summary>Starts a unary call. Await the result for the response.</summary>
    public AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var call = Create(method, MethodType.Unary, options);
        call.StartWithRequest(request);
        return new AsyncUnaryCall<TResponse>(call.GetSingleResponseAsync(), call);
    }

    /// <summary>Starts a server-streaming call. Read its <c>ResponseStream</c> to the end.</summary>
    public AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var call = Create(method, MethodType.ServerStreaming, options);
        call.StartWithRequest(request);
        return new AsyncServerStreamingCall<TResponse>(call, call);
    }

    /// <summary>Starts a client-streaming call. Write requests, complete the request stream, await the response.</summary>
    public AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var call = Create(method, MethodType.ClientStreaming, options);
        call.StartStreaming();
        return new AsyncClientStreamingCall<TRequest, TResponse>(call, call.GetSingleResponseAsync(), call);
    }

    /// <summary>Starts a bidirectional call: write requests and read responses independently.</summary>
    public AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var call = Create(method, MethodType.DuplexStreaming, options);
        call.StartStreaming();
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(call, call, call);
    }

    /// <summary>Closes the channel's connections (and its handler, when the channel made it or was told to).</summary>
    public void Dispose() => Invoker.Dispose();

    internal Uri GetMethodUri(string fullName) =>
        _methodUris.GetOrAdd(fullName, static (path, address) => new Uri(address, path), Address);

    private GrpcCall<TRequest, TResponse> Create<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodType expected, CallOptions options)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Type != expected)
        {
            throw new ArgumentException($"Method {method.FullName} is {method.Type}; it cannot be called as {expected}.", nameof(method));
        }

        return new GrpcCall<TRequest, TResponse>(this, method, options);
    }

    private static SocketsHttpHandler CreateHandler(GrpcChannelOptions options) => new()
    {
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        KeepAlivePingDelay = options.KeepAlivePingDelay,
        KeepAlivePingTimeout = options.KeepAlivePingTimeout,
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        ConnectTimeout = options.ConnectTimeout,
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
    };
}
