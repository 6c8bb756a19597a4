using Grpc.Core;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans;
using Switchboard.Contracts.V1;
using Switchboard.Gateway.Errors;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.Mapping;
using Switchboard.Gateway.Security;
using Switchboard.Gateway.Streams;
using Switchboard.Gateway.Telemetry;
using Switchboard.Routing.Adapters;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Queues;
using Switchboard.Routing.Topics;
using RoutingSkill = Switchboard.Routing.Calls.SkillRequirement;
using CallState = Switchboard.Routing.Calls.CallState;

namespace Switchboard.Gateway.Adapters;

/// <summary>
/// <c>switchboard.v1.TelephonyAdapter</c>: adapters offer calls, report what happened, and keep one
/// instruction stream open (at-least-once delivery: unacknowledged instructions are re-sent on reconnect).
/// </summary>
internal sealed partial class TelephonyAdapterService(
    IGrainFactory grains,
    ITopicHub streams,
    GatewayAccess access,
    GatewayLifetime lifetime,
    OfferAdmission admission,
    ILogger<TelephonyAdapterService> logger) : TelephonyAdapter.TelephonyAdapterBase
{
    private const int MaxCallIdLength = 64;
    private const int MaxCallDataEntries = 64;
    private const int MaxCallDataKeyLength = 64;
    private const int MaxCallDataValueLength = 1024;

    private readonly StreamSessions _sessions = new();


    public override async Task<OfferCallResponse> OfferCall(OfferCallRequest request, ServerCallContext context)
    {
        access.RequireAdapter(context, request.AdapterId);
        using var span = GatewayTelemetry.StartServerSpan(context, "OfferCall");
        var offer = ToOffer(request);
        span?.SetTag("switchboard.queue", offer.QueueId);
        using var admitted = admission.Enter(); // after the checks: a bad request is told what is wrong with it, busy or not
        var result = await grains.GetGrain<ICallGrain>(CallIds.For(offer.AdapterId, offer.ExternalCallId)).OfferAsync(offer);
        span?.SetTag("switchboard.call", result.CallId);
        return new OfferCallResponse
        {
            CallId = result.CallId,
            State = ContractMapping.State(result.State),
            QueuePosition = result.QueuePosition,
            EstimatedWait = ContractMapping.Span(result.EstimatedWait),
            Duplicate = result.Duplicate,
            RepeatCall = result.RepeatCall,
        };
    }

    internal static CallOffer ToOffer(OfferCallRequest request)
    {
        var adapterId = RequestValidation.Id(request.AdapterId, "adapter_id");
        var externalCallId = RequestValidation.Required(request.ExternalCallId, "external_call_id", 128);
        if (adapterId.Length + 1 + externalCallId.Length > MaxCallIdLength)
        {
            // The call id is "<adapter_id>:<external_call_id>" and, like every server-issued id, at most 64 characters.
            throw RequestValidation.Invalid(
                $"external_call_id is {externalCallId.Length} characters long; with adapter_id '{adapterId}' at most {MaxCallIdLength - adapterId.Length - 1} are allowed, so that call_id stays within {MaxCallIdLength} characters");
        }
        var callerNumber = RequestValidation.Required(request.CallerNumber, "caller_number", 64);
        var queueId = RequestValidation.Id(request.QueueId, "queue_id");
        var routing = request.Routing ?? new RoutingAttributes();
        if (routing.Skills.Count > 16)
        {
            throw RequestValidation.Invalid($"routing.skills has {routing.Skills.Count} entries; at most 16 are allowed");
        }
        var skills = ImmutableArray.CreateBuilder<RoutingSkill>(routing.Skills.Count);
        for (var i = 0; i < routing.Skills.Count; i++)
        {
            var skill = routing.Skills[i];
            RequestValidation.Id(skill.SkillId, $"routing.skills[{i}].skill_id");
            RequestValidation.Range(skill.MinProficiency, $"routing.skills[{i}].min_proficiency", 0, 10);
            skills.Add(new RoutingSkill(skill.SkillId, Math.Max(1, skill.MinProficiency)));
        }
        RequestValidation.Range(routing.Priority, "routing.priority", 0, 100);
        RequestValidation.MaxLength(routing.Language, "routing.language", 35);
        RequestValidation.MaxLength(routing.CustomerId, "routing.customer_id", 128);
        var preferredAgent = routing.PreferredAgentId.Length > 0 ? RequestValidation.Id(routing.PreferredAgentId, "routing.preferred_agent_id") : null;
        if (request.CallData.Count > MaxCallDataEntries)
        {
            throw RequestValidation.Invalid($"call_data has {request.CallData.Count} entries; at most {MaxCallDataEntries} are allowed");
        }
        foreach (var (key, value) in request.CallData)
        {
            if (key.Length is 0 or > MaxCallDataKeyLength)
            {
                throw RequestValidation.Invalid($"call_data key '{(key.Length > 16 ? key[..16] + "..." : key)}' must be 1-{MaxCallDataKeyLength} characters");
            }
            if (value.Length > MaxCallDataValueLength)
            {
                throw RequestValidation.Invalid($"call_data['{key}'] is {value.Length} characters long; at most {MaxCallDataValueLength} are allowed");
            }
        }
        DateTimeOffset? arrivedAt = null;
        if (request.ArrivedAt is { } arrived)
        {
            var at = arrived.ToDateTimeOffset();
            var now = DateTimeOffset.UtcNow;
            // A value in the future or more than 1 h old is replaced by the receive time (the proto says so).
            arrivedAt = at > now || at < now.AddHours(-1) ? null : at;
        }
        return new CallOffer(
            adapterId,
            externalCallId,
            callerNumber,
            queueId,
            ContractMapping.Tier(routing.CustomerTier),
            skills.ToImmutable(),
            string.IsNullOrEmpty(routing.Language) ? null : routing.Language,
            routing.Priority,
            arrivedAt,
            request.CallData.Count == 0 ? null : request.CallData.ToImmutableDictionary(StringComparer.Ordinal),
            string.IsNullOrEmpty(request.DialedNumber) ? null : RequestValidation.MaxLength(request.DialedNumber, "dialed_number", 64),
            routing.CustomerId.Length > 0 ? routing.CustomerId : null,
            preferredAgent);
    }

    public override async Task<ReportCallEventResponse> ReportCallEvent(ReportCallEventRequest request, ServerCallContext context)
    {
        access.RequireAdapter(context, request.AdapterId);
        var adapterId = RequestValidation.Id(request.AdapterId, "adapter_id");
        var eventId = RequestValidation.Required(request.EventId, "event_id", 256);
        if (request.EventCase == ReportCallEventRequest.EventOneofCase.None)
        {
            throw RequestValidation.Invalid("no event set: set one of answered, agent_no_answer, caller_hung_up, ended, survey_score, held, resumed, callback_choice");
        }
        using var span = GatewayTelemetry.StartServerSpan(context, "ReportCallEvent");
        var call = CallOf(adapterId, request.CallId, request.ExternalCallId);
        span?.SetTag("switchboard.call", call.GetPrimaryKeyString());
        CallSnapshot after;
        switch (request.EventCase)
        {
            case ReportCallEventRequest.EventOneofCase.Answered:
                var answeredBy = RequestValidation.Id(request.Answered.AgentId, "answered.agent_id");
                // The call grain checks the adapter's word in the same turn as it answers (other-agent: FAILED_PRECONDITION).
                after = await call.AnsweredAsync(eventId, answeredBy);
                break;
            case ReportCallEventRequest.EventOneofCase.AgentNoAnswer:
                after = await call.AgentNoAnswerAsync(eventId, RequestValidation.Id(request.AgentNoAnswer.AgentId, "agent_no_answer.agent_id"));
                break;
            case ReportCallEventRequest.EventOneofCase.CallerHungUp:
                after = await call.CallerHungUpAsync(eventId);
                break;
            case ReportCallEventRequest.EventOneofCase.Ended:
                after = await call.EndedAsync(eventId);
                break;
            case ReportCallEventRequest.EventOneofCase.SurveyScore:
                RequestValidation.Range(request.SurveyScore.Score, "survey_score.score", 1, 5);
                after = await call.SurveyAsync(request.SurveyScore.Score, eventId);
                break;
            case ReportCallEventRequest.EventOneofCase.Held:
                after = await call.HeldAsync(eventId);
                break;
            case ReportCallEventRequest.EventOneofCase.Resumed:
                after = await call.ResumedAsync(eventId);
                break;
            case ReportCallEventRequest.EventOneofCase.CallbackChoice:
                // A declined callback changes nothing: the caller keeps waiting.
                after = request.CallbackChoice.Accepted
                    ? await call.CallbackChosenAsync(string.IsNullOrEmpty(request.CallbackChoice.CallbackNumber) ? null : request.CallbackChoice.CallbackNumber, eventId)
                    : await call.GetAsync();
                break;
            default:
                throw RequestValidation.Invalid($"event {request.EventCase} is not known to this server");
        }
        return new ReportCallEventResponse { State = ContractMapping.State(after.State), Duplicate = after.Duplicate };
    }

    public override async Task<GetCallResponse> GetCall(GetCallRequest request, ServerCallContext context)
    {
        access.RequireAdapter(context, request.AdapterId);
        var adapterId = RequestValidation.Id(request.AdapterId, "adapter_id");
        var (_, call) = await FindCallAsync(adapterId, request.CallId, request.ExternalCallId);
        var response = new GetCallResponse
        {
            CallId = call.CallId,
            ExternalCallId = call.ExternalCallId,
            State = ContractMapping.State(call.State),
            QueueId = call.QueueId,
            AgentId = call.AgentId ?? "",
            ArrivedAt = ContractMapping.Time(call.EnqueuedAt),
        };
        if (call.State is CallState.Queued or CallState.CallbackScheduled or CallState.Rejected or CallState.NoAnswer)
        {
            var position = await grains.GetGrain<IQueueGrain>(call.QueueId).GetPositionAsync(call.CallId);
            if (position is not null)
            {
                response.QueuePosition = position.Position;
                response.EstimatedWait = ContractMapping.Span(position.EstimatedWait);
            }
        }
        return response;
    }

    /// <summary>
    /// The call named by id or external id, checked to belong to <paramref name="adapterId"/> without a grain
    /// call: call ids are derived from the offering adapter's id (<see cref="CallIds.For"/>).
    /// </summary>
    private ICallGrain CallOf(string adapterId, string callId, string externalCallId)
    {
        if (string.IsNullOrEmpty(callId) && string.IsNullOrEmpty(externalCallId))
        {
            throw RequestValidation.Invalid("neither call_id nor external_call_id is given; name the call by one of them");
        }
        if (!string.IsNullOrEmpty(callId) && !string.IsNullOrEmpty(externalCallId) && callId != CallIds.For(adapterId, externalCallId))
        {
            throw RequestValidation.Invalid($"call_id {callId} and external_call_id {externalCallId} name different calls");
        }
        var id = string.IsNullOrEmpty(callId) ? CallIds.For(adapterId, externalCallId) : RequestValidation.ServerId(callId, "call_id");
        if (!id.StartsWith(CallIds.For(adapterId, ""), StringComparison.Ordinal))
        {
            throw GatewayAccess.Denied($"call {id} was not offered by adapter {adapterId}");
        }
        return grains.GetGrain<ICallGrain>(id);
    }

    /// <summary>The call named by id or external id, checked to belong to <paramref name="adapterId"/>.</summary>
    private async Task<(ICallGrain Grain, CallSnapshot Snapshot)> FindCallAsync(string adapterId, string callId, string externalCallId)
    {
        if (string.IsNullOrEmpty(callId) && string.IsNullOrEmpty(externalCallId))
        {
            throw RequestValidation.Invalid("neither call_id nor external_call_id is given; name the call by one of them");
        }
        if (!string.IsNullOrEmpty(callId) && !string.IsNullOrEmpty(externalCallId) && callId != CallIds.For(adapterId, externalCallId))
        {
            throw RequestValidation.Invalid($"call_id {callId} and external_call_id {externalCallId} name different calls");
        }
        var id = string.IsNullOrEmpty(callId) ? CallIds.For(adapterId, externalCallId) : RequestValidation.ServerId(callId, "call_id");
        var grain = grains.GetGrain<ICallGrain>(id);
        var snapshot = await grain.GetAsync();
        if (snapshot.AdapterId != adapterId)
        {
            throw GatewayAccess.Denied($"call {id} belongs to adapter {snapshot.AdapterId}, not {adapterId}");
        }
        return (grain, snapshot);
    }

    public override async Task Connect(IAsyncStreamReader<ConnectRequest> requests, IServerStreamWriter<ConnectResponse> responses, ServerCallContext context)
    {
        var caller = access.RequireAdapter(context);
        var named = context.RequestHeaders.GetValue(SwitchboardApi.Metadata.AdapterId);
        var callsLost = false;
        var namedByMetadata = named is not null;
        if (named is null)
        {
            if (!await requests.MoveNext(context.CancellationToken) || requests.Current.MessageCase != ConnectRequest.MessageOneofCase.Hello)
            {
                throw RequestValidation.Invalid("the first message must be a hello naming the adapter (or send x-switchboard-adapter-id metadata)");
            }
            named = RequestValidation.Id(requests.Current.Hello.AdapterId, "hello.adapter_id");
            callsLost = requests.Current.Hello.CallsLost;
        }
        var adapterId = RequestValidation.Id(named, SwitchboardApi.Metadata.AdapterId);
        GatewayAccess.CheckAdapter(caller, adapterId);

        using var session = _sessions.Open(adapterId);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, session.Replaced, lifetime.Stopping);
        using var subscription = streams.GetTopic<AdapterInstruction>(RoutingTopics.Adapter(adapterId)).Subscribe();
        var grain = grains.GetGrain<IAdapterGrain>(adapterId);
        var sent = new ConcurrentDictionary<string, InstructionAction>(StringComparer.Ordinal);
        Task? acks = null;
        try
        {
            var connection = await grain.ConnectAsync(callsLost);
            await responses.WriteAsync(new ConnectResponse
            {
                Accepted = new ConnectAccepted
                {
                    AdapterId = adapterId,
                    SessionId = session.SessionId,
                    Resent = connection.Unacknowledged.Count,
                    AckTimeout = ContractMapping.Span(connection.AckTimeout),
                },
            }, stop.Token);
            Connected(adapterId, session.SessionId, connection.Unacknowledged.Count);
            foreach (var instruction in connection.Unacknowledged)
            {
                await SendAsync(instruction);
            }

            acks = ReadAcksAsync(requests, grain, adapterId, helloAllowed: namedByMetadata, sent, stop);
            foreach (var item in subscription.Snapshot.Where(i => !i.Removed && i.Value is not null).OrderBy(i => i.Value!.Sequence))
            {
                await SendAsync(item.Value!);
            }
            while (!stop.IsCancellationRequested)
            {
                var item = await subscription.ReadAsync(stop.Token);
                if (item.Removed)
                {
                    sent.TryRemove(item.Key, out _); // acknowledged
                }
                else if (item.Value is { } instruction)
                {
                    await SendAsync(instruction);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            // Replaced, stopping, or the adapter half-closed: answered below.
        }
        finally
        {
            _sessions.Close(session);
            stop.Cancel();
            if (acks is not null)
            {
                try
                {
                    await acks;
                }
                catch (Exception) when (context.CancellationToken.IsCancellationRequested || session.IsReplaced || lifetime.Stopping.IsCancellationRequested)
                {
                }
            }
        }
        if (session.IsReplaced)
        {
            throw new RpcException(new Status(StatusCode.Aborted, $"replaced by a newer Connect stream for adapter {adapterId}; do not reconnect from this one"));
        }
        if (lifetime.Stopping.IsCancellationRequested)
        {
            throw GatewayLifetime.Unavailable();
        }

        async Task SendAsync(AdapterInstruction instruction)
        {
            if (sent.TryAdd(instruction.InstructionId, instruction.Action))
            {
                await responses.WriteAsync(new ConnectResponse { Instruction = InstructionMapping.ToContract(instruction) }, stop.Token);
            }
        }
    }

    /// <summary>Reads the adapter's acks until it half-closes; a protocol error ends the whole stream.</summary>
    private async Task ReadAcksAsync(
        IAsyncStreamReader<ConnectRequest> requests,
        IAdapterGrain grain,
        string adapterId,
        bool helloAllowed,
        ConcurrentDictionary<string, InstructionAction> sent,
        CancellationTokenSource stop)
    {
        try
        {
            while (await requests.MoveNext(stop.Token))
            {
                var message = requests.Current;
                switch (message.MessageCase)
                {
                    case ConnectRequest.MessageOneofCase.Ack:
                        var ack = message.Ack;
                        if (string.IsNullOrEmpty(ack.InstructionId))
                        {
                            break; // an ack of nothing: ignored, never an error
                        }
                        sent.TryGetValue(ack.InstructionId, out var action);
                        await grain.AckAsync(ack.InstructionId, InstructionMapping.Outcome(ack.Outcome), InstructionMapping.Failure(ack.Failure, action));
                        break;
                    case ConnectRequest.MessageOneofCase.Hello when helloAllowed:
                        helloAllowed = false;
                        if (message.Hello.AdapterId != adapterId)
                        {
                            throw RequestValidation.Invalid($"hello.adapter_id {message.Hello.AdapterId} disagrees with x-switchboard-adapter-id {adapterId}");
                        }
                        break;
                    case ConnectRequest.MessageOneofCase.Hello:
                        throw RequestValidation.Invalid("a second hello on one Connect stream");
                    default:
                        break; // a message kind newer than this server
                }
            }
        }
        finally
        {
            // The adapter half-closed (or failed): end the stream.
            await stop.CancelAsync();
        }
    }

    [LoggerMessage(9300, LogLevel.Information, "Adapter {AdapterId} connected (session {SessionId}); re-sending {Resent} unacknowledged instructions")]
    private partial void Connected(string adapterId, string sessionId, int resent);
}
