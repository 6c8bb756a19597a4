using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Switchboard.Grpc.Framing;

namespace Switchboard.Grpc.Client;

/// <summary>
/// One client call over an HTTP/2 stream of <see cref="HttpMessageInvoker"/>. It is its own request writer
/// and response reader, so a call costs one object beside HttpClient's request and response.
/// </summary>
internal sealed class GrpcCall<TRequest, TResponse> : ICallState, IClientStreamWriter<TRequest>, IAsyncStreamReader<TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private const string UserAgent = "switchboard-grpc/1.0";

    // CancelAfter takes at most int.MaxValue ms; a longer deadline is as good as none.
    private static readonly TimeSpan LongestDeadline = TimeSpan.FromDays(24);
    private static readonly Task<bool> True = Task.FromResult(true);
    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024);

    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _cts = new();
    private readonly object _gate = new();
    private CancellationTokenSource? _deadlineCts;
    private CancellationTokenRegistration _deadlineRegistration;
    private CancellationTokenRegistration _userRegistration;
    private HttpRequestMessage? _request;
    private HttpResponseMessage? _response;
    private Task<HttpResponseMessage> _responseTask = null!;
    private Task<Metadata>? _headersTask;
    private StreamingRequestContent? _content;
    private PipeReader? _reader;
    private TResponse? _current;
    // One reference, written once: readers on other threads see the status and trailers together or not at all.
    private volatile CallOutcome? _outcome;
    private bool _disposed;
    private bool _requestCompleted;

    public GrpcCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
    }

    public Task<Metadata> ResponseHeadersAsync => _headersTask ??= GetResponseHeadersAsync();

    public TResponse Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first, and use Current only while it returned true.");

    /// <summary>Starts a unary or server-streaming call: the one request goes out with END_STREAM.</summary>
    public void StartWithRequest(TRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        UnaryRequestContent content;
        try
        {
            content = new UnaryRequestContent(request, _channel.MaxSendMessageSize);
        }
        catch (RpcException ex)
        {
            // Fails the call, not the method that started it, as every other call failure does.
            Finish(ex.Status, ex.Trailers);
            _responseTask = Task.FromException<HttpResponseMessage>(ex);
            return;
        }

        Start(content);
    }

    /// <summary>Starts a client-streaming or bidirectional call: headers go out now, requests as they are written.</summary>
    public void StartStreaming()
    {
        _content = new StreamingRequestContent();
        Start(_content);
    }

    public async Task<TResponse> GetSingleResponseAsync()
    {
        var message = await ReadMessageAsync(CancellationToken.None).ConfigureAwait(false);
        if (message is null)
        {
            throw Fail(new RpcException(new Status(StatusCode.Internal, "The call ended with OK but without a response message.")));
        }

        if (await ReadMessageAsync(CancellationToken.None).ConfigureAwait(false) is not null)
        {
            throw Fail(new RpcException(new Status(StatusCode.Internal, "The server sent more than one response message to a single-response call.")));
        }

        return message;
    }

    public Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        // Fast path: a whole message is already buffered, so no state machine and no task is allocated.
        try
        {
            if (TryReadBuffered(out var message))
            {
                _current = message;
                return True;
            }
        }
        catch (Exception ex)
        {
            return Task.FromException<bool>(Fail(ex));
        }

        return MoveNextAsync(cancellationToken);
    }

    private async Task<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        _current = await ReadMessageAsync(cancellationToken).ConfigureAwait(false);
        return _current is not null;
    }

    private bool TryReadBuffered([NotNullWhen(true)] out TResponse? message)
    {
        message = null;
        var reader = _reader;
        if (reader is null || _outcome is not null || !reader.TryRead(out var result))
        {
            return false;
        }

        var buffer = result.Buffer;
        bool found;
        ReadOnlySequence<byte> payload;
        bool compressed;
        SequencePosition end;
        try
        {
            found = MessageFraming.TryReadMessage(buffer, _channel.MaxReceiveMessageSize, out payload, out compressed, out end);
        }
        catch
        {
            reader.AdvanceTo(buffer.Start);
            throw;
        }

        if (!found)
        {
            // Leave an ended stream unexamined so the slow path sees it at once and reads the trailers.
            reader.AdvanceTo(buffer.Start, result.IsCompleted ? buffer.Start : buffer.End);
            return false;
        }

        try
        {
            message = MessageFraming.Parse(_method.ResponseParser, payload, compressed, compressed ? ResponseEncoding(_response!) : null, _channel.MaxReceiveMessageSize, "response");
        }
        finally
        {
            reader.AdvanceTo(end);
        }

        return true;
    }

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var content = _content ?? throw new InvalidOperationException("This call has no request stream.");

        // A call that has ended (deadline, cancellation, server status) says so before any misuse is reported.
        ThrowIfFinished();
        if (_requestCompleted)
        {
            throw new InvalidOperationException("The request stream has already been completed.");
        }

        if (_outcome is not null)
        {
            throw new InvalidOperationException("The call has already ended; no more requests can be sent.");
        }

        byte[] buffer;
        int length;
        try
        {
            buffer = MessageFraming.RentFramed(message, _channel.MaxSendMessageSize, out length);
        }
        catch (RpcException ex)
        {
            throw Fail(ex);
        }

        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((GrpcCall<TRequest, TResponse>)state!).Cancel(), this)
            : default;
        try
        {
            var stream = await content.StreamAsync.WaitAsync(_cts.Token).ConfigureAwait(false);
            await stream.WriteAsync(buffer.AsMemory(0, length), _cts.Token).ConfigureAwait(false);
            await stream.FlushAsync(_cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A write fails when the server has already ended the call: its status says why, so wait for it.
            if (_outcome is null && !_cts.IsCancellationRequested && _responseTask.IsCompletedSuccessfully)
            {
                try
                {
                    while (await ReadMessageAsync(CancellationToken.None).ConfigureAwait(false) is not null)
                    {
                    }
                }
                catch (RpcException)
                {
                }
            }

            throw Fail(ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public Task CompleteAsync()
    {
        var content = _content ?? throw new InvalidOperationException("This call has no request stream.");
        _requestCompleted = true;
        content.Complete();
        return Task.CompletedTask;
    }

    public Status GetStatus() => _outcome?.Status ?? throw new InvalidOperationException("Unable to get the status because the call is not complete.");

    public Metadata GetTrailers() => _outcome?.Trailers
        ?? throw new InvalidOperationException("Unable to get the trailers because the call is not complete.");

    public void Dispose()
    {
        _disposed = true;
        if (_outcome is null)
        {
            Fail(new OperationCanceledException("The call was disposed."));
        }
    }

    private void Start(HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _channel.GetMethodUri(_method.FullName))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        _request = request;
        var headers = request.Headers;
        headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, GrpcProtocol.TrailersValue);
        headers.TryAddWithoutValidation("user-agent", UserAgent);
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        if (_options.Headers is { Count: > 0 } metadata)
        {
            MetadataCodec.WriteTo(metadata, headers);
        }

        if (_options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var utc = deadline.Kind == DateTimeKind.Local ? deadline.ToUniversalTime() : deadline;
            var timeout = utc - DateTime.UtcNow;
            if (timeout <= TimeSpan.Zero)
            {
                // Past its deadline before it began: nothing is sent, as grpc-dotnet and grpc-js do.
                var status = new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
                Finish(status, new Metadata());
                _responseTask = Task.FromException<HttpResponseMessage>(new RpcException(status));
                return;
            }

            if (timeout < LongestDeadline)
            {
                headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(timeout));
                _deadlineCts = new CancellationTokenSource(timeout);
                _deadlineRegistration = _deadlineCts.Token.UnsafeRegister(static state => ((GrpcCall<TRequest, TResponse>)state!).Cancel(), this);
            }
        }

        if (_options.CancellationToken.CanBeCanceled)
        {
            _userRegistration = _options.CancellationToken.UnsafeRegister(static state => ((GrpcCall<TRequest, TResponse>)state!).Cancel(), this);
        }

        _responseTask = SendAsync(request);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        HttpResponseMessage response;
        try
        {
            response = await _channel.Invoker.SendAsync(request, _cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Fail(ex);
        }

        _response = response;
        var status = ValidateResponseHeaders(response);
        if (status is { } early)
        {
            // Trailers-only: the status and the trailers came in the one HEADERS frame.
            var trailers = new Metadata();
            MetadataCodec.AddFromHeaders(trailers, response.Headers);
            Finish(early, trailers);
        }

        return response;
    }

    private async Task<Metadata> GetResponseHeadersAsync()
    {
        var response = await _responseTask.ConfigureAwait(false);
        var headers = new Metadata();
        MetadataCodec.AddFromHeaders(headers, response.Headers);
        return headers;
    }

    /// <summary>The next response message, or null at the end of a call that ended OK; non-OK ends throw.</summary>
    private async ValueTask<TResponse?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var response = await _responseTask.ConfigureAwait(false);
        ThrowIfFinished();
        if (_outcome is not null)
        {
            return null;
        }

        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((GrpcCall<TRequest, TResponse>)state!).Cancel(), this)
            : default;
        try
        {
            if (_reader is null)
            {
                var stream = await response.Content.ReadAsStreamAsync(_cts.Token).ConfigureAwait(false);
                _reader = PipeReader.Create(stream, ReaderOptions);
            }

            var reader = _reader;
            while (true)
            {
                var result = await reader.ReadAsync(_cts.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                bool found;
                ReadOnlySequence<byte> payload;
                bool compressed;
                SequencePosition end;
                try
                {
                    found = MessageFraming.TryReadMessage(buffer, _channel.MaxReceiveMessageSize, out payload, out compressed, out end);
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
                        return MessageFraming.Parse(_method.ResponseParser, payload, compressed, compressed ? ResponseEncoding(response) : null, _channel.MaxReceiveMessageSize, "response");
                    }
                    finally
                    {
                        reader.AdvanceTo(end);
                    }
                }

                if (result.IsCompleted)
                {
                    reader.AdvanceTo(buffer.End);
                    if (!buffer.IsEmpty)
                    {
                        throw new RpcException(new Status(StatusCode.Internal, "Incomplete message: the response ended inside a message."));
                    }

                    FinishFromTrailers(response);
                    return null;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (Exception ex) when (FindProtocolError(ex) is { ErrorCode: 0 } && TryReadStatus(response.TrailingHeaders, out _))
        {
            // RST_STREAM(NO_ERROR) after the trailers: the server ended the call while our request stream was still
            // open (it may, HTTP/2 section 8.1) and then closed the connection; its status is the call's outcome.
            FinishFromTrailers(response);
            return null;
        }
        catch (Exception ex)
        {
            var error = Fail(ex);
            CompleteReader();
            throw error;
        }
    }

    /// <summary>Returns the reader's pooled buffers; only ever called on the reading path, never concurrently with a read.</summary>
    private void CompleteReader()
    {
        var reader = _reader;
        if (reader is not null)
        {
            try
            {
                reader.Complete();
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException or HttpRequestException)
            {
                // The stream is already broken; its buffers are returned all the same.
            }
        }
    }

    private static string? ResponseEncoding(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues(GrpcProtocol.EncodingHeader, out var values) ? values.ToString() : null;

    private static Status? ValidateResponseHeaders(HttpResponseMessage response)
    {
        if (TryReadStatus(response.Headers, out var status))
        {
            return status;
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new Status(
                ClientStatusMapping.FromHttpStatus(response.StatusCode),
                $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}");
        }

        var contentType = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : null;
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            return new Status(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {contentType}");
        }

        return null;
    }

    /// <summary>Ends the call with the status and metadata in the response's trailers; throws unless it is OK.</summary>
    private void FinishFromTrailers(HttpResponseMessage response)
    {
        var trailers = new Metadata();
        var status = ReadStatus(response, trailers);
        CompleteReader();
        Finish(status, trailers);
        ThrowIfFinished();
    }

    private static Status ReadStatus(HttpResponseMessage response, Metadata trailers)
    {
        MetadataCodec.AddFromHeaders(trailers, response.TrailingHeaders);
        if (TryReadStatus(response.TrailingHeaders, out var status))
        {
            return status;
        }

        return new Status(StatusCode.Unknown, "The response ended without a grpc-status trailer.");
    }

    private static bool TryReadStatus(HttpHeaders headers, out Status status)
    {
        status = default;
        if (!headers.NonValidated.TryGetValues(GrpcProtocol.StatusHeader, out var codes))
        {
            return false;
        }

        var message = headers.NonValidated.TryGetValues(GrpcProtocol.MessageHeader, out var messages)
            ? PercentEncoding.Decode(messages.ToString())
            : string.Empty;
        status = int.TryParse(codes.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
            ? new Status((StatusCode)code, message)
            : new Status(StatusCode.Unknown, $"Invalid grpc-status '{codes}'. {message}");
        return true;
    }

    private void ThrowIfFinished()
    {
        if (_outcome is { Status.StatusCode: not StatusCode.OK } outcome)
        {
            throw new RpcException(outcome.Status, outcome.Trailers);
        }
    }

    /// <summary>Ends the call for <paramref name="error"/> (unless it has ended already) and returns what to throw.</summary>
    private RpcException Fail(Exception error)
    {
        if (_outcome is { } outcome)
        {
            var existing = outcome.Status;
            if (existing.StatusCode != StatusCode.OK)
            {
                return error as RpcException is { } same && same.Status == existing ? same : new RpcException(existing, outcome.Trailers);
            }

            return new RpcException(new Status(StatusCode.Internal, $"The call had already ended: {error.Message}"));
        }

        var status = error switch
        {
            RpcException rpc => rpc.Status,
            _ when _cts.IsCancellationRequested || error is OperationCanceledException || PastDeadline() => CancellationStatus(),
            _ when FindProtocolError(error) is { } reset => new Status(
                ClientStatusMapping.FromHttp2ErrorCode(reset.ErrorCode),
                $"The HTTP/2 stream was reset with error code {reset.ErrorCode}: {reset.Message}"),
            HttpRequestException or IOException => new Status(StatusCode.Unavailable, $"Error in the gRPC call to {_method.FullName}: {error.Message}"),
            _ => new Status(StatusCode.Internal, $"Error in the gRPC call to {_method.FullName}: {error.GetType().Name}: {error.Message}"),
        };
        var trailers = (error as RpcException)?.Trailers ?? new Metadata();
        Finish(status, trailers);
        return error is RpcException original && original.Status == status ? original : new RpcException(status, trailers);
    }

    private Status CancellationStatus()
    {
        var userCancelled = _disposed || _options.CancellationToken.IsCancellationRequested;
        return !userCancelled && PastDeadline()
            ? new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded")
            : new Status(StatusCode.Cancelled, "Call canceled by the client.");
    }

    /// <summary>
    /// True once the deadline has passed. A server that hits the same deadline resets the stream (CANCEL),
    /// which can reach this client before its own timer fires: that is still a deadline, not a cancellation.
    /// </summary>
    private bool PastDeadline() =>
        _deadlineCts is { IsCancellationRequested: true }
        || (_deadlineCts is not null && _options.Deadline is { } deadline && DateTime.UtcNow >= (deadline.Kind == DateTimeKind.Local ? deadline.ToUniversalTime() : deadline));

    private static HttpProtocolException? FindProtocolError(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is HttpProtocolException protocol)
            {
                return protocol;
            }
        }

        return null;
    }

    private void Finish(Status status, Metadata trailers)
    {
        lock (_gate)
        {
            if (_outcome is not null)
            {
                return;
            }

            _outcome = new CallOutcome(status, trailers);
        }

        if (status.StatusCode != StatusCode.OK)
        {
            // Reset the stream so the server stops working for a caller that has gone.
            Cancel();
        }

        _content?.Abort();
        _deadlineRegistration.Dispose();
        _userRegistration.Dispose();
        _deadlineCts?.Dispose();
        _response?.Dispose();
        _request?.Dispose();
    }

    private void Cancel()
    {
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _content?.Abort();
    }

    private sealed record CallOutcome(Status Status, Metadata Trailers);
}
