namespace Switchboard.Grpc.Client;

/// <summary>Options of a <see cref="GrpcChannel"/>.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>The largest response message accepted, in bytes; larger ones fail with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest request message sent, in bytes; larger ones fail with RESOURCE_EXHAUSTED. Default unlimited.</summary>
    public int MaxSendMessageSize { get; set; } = int.MaxValue;

    /// <summary>
    /// The handler to send requests with; when null the channel makes a <see cref="SocketsHttpHandler"/> for h2c
    /// with multiple HTTP/2 connections and keepalive pings, and disposes it with the channel.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Whether disposing the channel disposes <see cref="HttpHandler"/>. Default false.</summary>
    public bool DisposeHttpHandler { get; set; }

    /// <summary>How often an HTTP/2 PING checks an idle-looking connection. Default 60 s.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a PING may go unanswered before the connection is closed. Default 30 s.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a new connection may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
