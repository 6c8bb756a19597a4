using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using Switchboard.Grpc.Framing;

namespace Switchboard.Grpc.Server;

/// <summary>
/// One server call over an ASP.NET Core HTTP/2 request: validates it, owns its deadline, reads requests
/// from the request pipe, writes responses into the response pipe, and ends it with a status.
/// </summary>
internal sealed class HttpServerCallContext : ServerCallContext, IDisposable
{
    // CancelAfter takes at most int.MaxValue ms; a longer grpc-timeout is as good as none.
    private static readonly TimeSpan LongestDeadline = TimeSpan.FromDays(24);

    private readonly HttpContext _http;
    private readonly GrpcServerRuntime _runtime;
    private readonly string _method;
    private CancellationTokenSource? _deadlineCts;
    private DateTime _deadline = DateTime.MaxValue;
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;
    private Status _status = Status.DefaultSuccess;
    private bool _responseStarted;
    private bool _ended;

    public HttpServerCallContext(HttpContext http, string method, GrpcServerRuntime runtime)
    {
        _http = http;
        _method = method;
        _runtime = runtime;
    }

    public override string Method => _method;

    public override string Host => _http.Request.Host.Value ?? string.Empty;

    public override string Peer => FormatPeer(_http.Connection.RemoteIpAddress, _http.Connection.RemotePort);

    public override DateTime Deadline => _deadline;

    public override Metadata RequestHeaders
    {
        get
        {
            if (_requestHeaders is null)
            {
                _requestHeaders = new Metadata();
                MetadataCodec.AddFromHeaders(_requestHeaders, _http.Request.Headers);
            }

            return _requestHeaders;
        }
    }

    public override CancellationToken CancellationToken => _deadlineCts?.Token ?? _http.RequestAborted;

    public override Metadata ResponseTrailers => _responseTrailers ??= new Metadata();

    public override Status Status
    {
        get => _status;
        set => _status = value;
    }

    public PipeReader BodyReader => _http.Request.BodyReader;

    public PipeWriter BodyWriter => _http.Response.BodyWriter;

    public int MaxReceiveMessageSize => _runtime.Options.MaxReceiveMessageSize;

    public string? RequestEncoding { get; private set; }

    /// <summary>Set once the request stream's END_STREAM has been read.</summary>
    public bool RequestCompleted { get; set; }

    public bool IsEnded => _ended;

    private bool DeadlineExceeded => _deadlineCts is { IsCancellationRequested: true } && !_http.RequestAborted.IsCancellationRequested;

    public override HttpContext GetHttpContext() => _http;

    public override Task WriteResponseHeadersAsync(Metadata responseHeaders)
    {
        if (_responseStarted)
        {
            throw new InvalidOperationException("Response headers can only be sent once per call, before the first response message.");
        }

        MetadataCodec.WriteTo(responseHeaders, _http.Response.Headers);
        _responseStarted = true;
        return FlushHeadersAsync();
    }

    /// <summary>Checks protocol and content type; false when the request was already answered (426, 415).</summary>
    public bool TryStart()
    {
        var request = _http.Request;
        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            GrpcServerLog.UnsupportedProtocol(_runtime.Logger, request.Protocol);
            _http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            _http.Response.Headers.Upgrade = "h2c";
            _http.Response.Headers.Connection = "Upgrade";
            return false;
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            GrpcServerLog.UnsupportedContentType(_runtime.Logger, request.ContentType);
            _http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return false;
        }

        // Streams may be long-lived and slow: Kestrel's body size and data-rate limits would cut them.
        var sizeFeature = _http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        var rateFeature = _http.Features.Get<IHttpMinRequestBodyDataRateFeature>();
        if (rateFeature is not null)
        {
            rateFeature.MinDataRate = null;
        }

        var headers = request.Headers;
        var encoding = headers[GrpcProtocol.EncodingHeader];
        if (encoding.Count > 0)
        {
            RequestEncoding = encoding.ToString();
        }

        var timeout = headers[GrpcProtocol.TimeoutHeader];
        if (timeout.Count > 0 && GrpcTimeout.TryParse(timeout.ToString(), out var span) && span < LongestDeadline)
        {
            _deadline = DateTime.UtcNow + span;
            _deadlineCts = CancellationTokenSource.CreateLinkedTokenSource(_http.RequestAborted);
            _deadlineCts.CancelAfter(span);
        }

        _http.Response.ContentType = GrpcProtocol.ContentType;
        return true;
    }

    /// <summary>Reads the one request message of a unary or server-streaming call, to END_STREAM.</summary>
    public async ValueTask<T> ReadSingleMessageAsync<T>(MessageParser<T> parser)
        where T : IMessage<T>
    {
        var reader = BodyReader;
        var token = CancellationToken;
        while (true)
        {
            var result = await reader.ReadAsync(token);
            var buffer = result.Buffer;
            if (!result.IsCompleted)
            {
                try
                {
                    // Fails fast with RESOURCE_EXHAUSTED on an oversized header instead of buffering the body.
                    MessageFraming.TryReadHeader(buffer, MaxReceiveMessageSize, out _, out _);
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }

                continue;
            }

            RequestCompleted = true;
            try
            {
                if (!MessageFraming.TryReadMessage(buffer, MaxReceiveMessageSize, out var payload, out var compressed, out var end))
                {
                    throw new RpcException(new Status(
                        StatusCode.Internal,
                        buffer.IsEmpty ? "The request ended without a message." : "Incomplete message: the request ended inside a message."));
                }

                if (!buffer.Slice(end).IsEmpty)
                {
                    throw new RpcException(new Status(StatusCode.Internal, "Additional data after the request message of a single-request method."));
                }

                return MessageFraming.Parse(parser, payload, compressed, RequestEncoding, MaxReceiveMessageSize, "request");
            }
            finally
            {
                reader.AdvanceTo(buffer.End);
            }
        }
    }

    /// <summary>Writes one framed response message into the response pipe, without flushing.</summary>
    public void WriteMessage(IMessage message)
    {
        if (_ended)
        {
            throw new InvalidOperationException($"Cannot write a response message: the call {_method} has already ended.");
        }

        MessageFraming.WriteMessage(BodyWriter, message, _runtime.Options.MaxSendMessageSize);
        _responseStarted = true;
    }

    /// <summary>Ends the call with the handler's status, or the status its exception stands for.</summary>
    public async Task EndCallAsync(Exception? error)
    {
        _ended = true;
        var status = error is null ? _status : StatusFromException(error);
        if (_http.RequestAborted.IsCancellationRequested)
        {
            // The client reset the stream or the connection dropped: no one is left to read a status.
            GrpcServerLog.ClientCancelled(_runtime.Logger, _method);
            return;
        }

        var deadlineExceeded = DeadlineExceeded;
        if (deadlineExceeded)
        {
            GrpcServerLog.DeadlineExceeded(_runtime.Logger, _method, _deadline);
            status = new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }
        else if (status.StatusCode != StatusCode.OK)
        {
            GrpcServerLog.CallFailed(_runtime.Logger, _method, status.StatusCode, status.Detail);
        }

        try
        {
            WriteStatus(status);
            if (deadlineExceeded && !RequestCompleted)
            {
                // The client may still be sending: finish the response, then reset so it stops (PROTOCOL-HTTP2.md).
                await _http.Response.CompleteAsync();
                _http.Features.Get<IHttpResetFeature>()?.Reset(8);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or OperationCanceledException)
        {
            GrpcServerLog.StatusNotSent(_runtime.Logger, _method, ex);
        }
    }

    public void Dispose() => _deadlineCts?.Dispose();

    private void WriteStatus(Status status)
    {
        var response = _http.Response;
        IHeaderDictionary target;
        if (!_responseStarted && !response.HasStarted)
        {
            // Trailers-only: the status travels in the one and only HEADERS frame.
            target = response.Headers;
        }
        else
        {
            var trailersFeature = _http.Features.Get<IHttpResponseTrailersFeature>()
                ?? throw new InvalidOperationException("The transport does not support response trailers; gRPC needs HTTP/2.");
            target = trailersFeature.Trailers;
        }

        target[GrpcProtocol.StatusHeader] = StatusCodeText((int)status.StatusCode);
        if (!string.IsNullOrEmpty(status.Detail))
        {
            target[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(status.Detail);
        }

        if (_responseTrailers is { Count: > 0 })
        {
            MetadataCodec.WriteTo(_responseTrailers, target);
        }
    }

    private Status StatusFromException(Exception error)
    {
        switch (error)
        {
            case RpcException rpc:
                foreach (var entry in rpc.Trailers)
                {
                    ResponseTrailers.Add(entry);
                }

                return rpc.Status;
            case OperationCanceledException when _deadlineCts is { IsCancellationRequested: true } || _http.RequestAborted.IsCancellationRequested:
                return _http.RequestAborted.IsCancellationRequested ? Status.DefaultCancelled : new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
            case IOException or InvalidOperationException when _http.RequestAborted.IsCancellationRequested:
                return Status.DefaultCancelled;
            default:
                GrpcServerLog.HandlerThrew(_runtime.Logger, _method, error);
                var detail = _runtime.Options.EnableDetailedErrors
                    ? $"Exception was thrown by handler. {error.GetType().Name}: {error.Message}"
                    : "Exception was thrown by handler.";
                return new Status(StatusCode.Unknown, detail);
        }
    }

    private async Task FlushHeadersAsync()
    {
        await _http.Response.StartAsync(CancellationToken);
        await BodyWriter.FlushAsync(CancellationToken);
    }

    // Cached so that writing a status allocates no string.
    private static readonly string[] StatusCodeTexts =
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16"];

    private static string StatusCodeText(int code) =>
        (uint)code < (uint)StatusCodeTexts.Length ? StatusCodeTexts[code] : code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string FormatPeer(IPAddress? address, int port) => address switch
    {
        null => "unknown",
        { AddressFamily: AddressFamily.InterNetworkV6 } => $"ipv6:[{address}]:{port}",
        _ => $"ipv4:{address}:{port}",
    };
}
