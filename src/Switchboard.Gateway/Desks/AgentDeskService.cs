using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Switchboard.Contracts.V1;
using Switchboard.Gateway.Errors;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.Mapping;
using Switchboard.Gateway.Security;
using Switchboard.Gateway.Streams;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Hosting;
using Switchboard.Routing.Topics;
using AgentEvent = Switchboard.Contracts.V1.AgentEvent;
using RoutingAgentState = Switchboard.Routing.Agents.AgentState;
using RoutingAgentStatus = Switchboard.Routing.Agents.AgentStatus;
using V1AgentState = Switchboard.Contracts.V1.AgentState;
using V1OfferMode = Switchboard.Contracts.V1.OfferMode;

namespace Switchboard.Gateway.Desks;

/// <summary>
/// <c>switchboard.v1.AgentDesk</c>: an agent's shift. The Subscribe stream is the agent's liveness: the
/// gateway tells the agent grain when it opens and when it drops; the grain runs the grace period.
/// </summary>
internal sealed partial class AgentDeskService(
    IGrainFactory grains,
    ITopicHub streams,
    GatewayAccess access,
    GatewayLifetime lifetime,
    IOptions<RoutingOptions> routing,
    ILogger<AgentDeskService> logger) : AgentDesk.AgentDeskBase
{
    private readonly StreamSessions _sessions = new();


    private IAgentGrain Agent(ServerCallContext context, string agentId)
    {
        RequestValidation.Id(agentId, "agent_id");
        access.RequireAgentSelf(context, agentId);
        return grains.GetGrain<IAgentGrain>(agentId);
    }

    public override async Task<LoginResponse> Login(LoginRequest request, ServerCallContext context)
    {
        var agent = Agent(context, request.AgentId);
        var station = RequestValidation.Required(request.Station, "station", 256);
        if (request.InitialState is not (V1AgentState.Unspecified or V1AgentState.Available or V1AgentState.NotReady))
        {
            throw RequestValidation.Invalid($"initial_state {request.InitialState} is not allowed; use AVAILABLE or NOT_READY");
        }
        var reason = request.InitialState == V1AgentState.Available ? "" : UserReason(request.ReasonCode, "reason_code", allowEmpty: true);
        var mode = request.OfferMode == V1OfferMode.AcceptOnDesk ? Routing.Agents.OfferMode.AcceptOnDesk : Routing.Agents.OfferMode.RingEndpoint;

        var before = await agent.GetStatusAsync();
        RoutingAgentStatus status;
        try
        {
            status = await agent.LoginAsync(new AgentLogin(station, mode));
        }
        catch (AgentStateException) when (before.State != RoutingAgentState.LoggedOut && before.Station == station)
        {
            status = before; // logging in again from the same station: nothing to change
        }
        if (before.State == RoutingAgentState.LoggedOut)
        {
            if (request.InitialState == V1AgentState.Available)
            {
                status = await agent.SetReadyAsync();
            }
            else if (reason.Length > 0 && reason != ContractMapping.LoginReason)
            {
                status = await agent.SetNotReadyAsync(ContractMapping.ReasonFromApi(reason));
            }
        }
        if (!_sessions.IsOpen(request.AgentId))
        {
            // Liveness starts now: without a Subscribe stream within the grace period the agent goes
            // NOT_READY(disconnected); opening the stream cancels it.
            status = await agent.DeskDisconnectedAsync();
        }
        return new LoginResponse { Status = ContractMapping.Status(status), DisconnectGrace = ContractMapping.Span(routing.Value.DeskDisconnectGrace) };
    }

    public override async Task<LogoutResponse> Logout(LogoutRequest request, ServerCallContext context)
    {
        RequestValidation.Id(request.AgentId, "agent_id");
        await access.RequireAgentOrSupervisorAsync(context, request.AgentId);
        var status = await grains.GetGrain<IAgentGrain>(request.AgentId).LogoutAsync();
        return new LogoutResponse { Status = ContractMapping.Status(status) };
    }

    public override async Task<SetStateResponse> SetState(SetStateRequest request, ServerCallContext context)
    {
        RequestValidation.Id(request.AgentId, "agent_id");
        await access.RequireAgentOrSupervisorAsync(context, request.AgentId);
        var agent = grains.GetGrain<IAgentGrain>(request.AgentId);
        switch (request.State)
        {
            case V1AgentState.Available:
                var current = await agent.GetStatusAsync();
                if (current.State is RoutingAgentState.Available)
                {
                    return new SetStateResponse { Status = ContractMapping.Status(current) };
                }
                if (current.State is RoutingAgentState.Reserved or RoutingAgentState.OnCall or RoutingAgentState.WrapUp)
                {
                    // Never cuts the current call short (wrap-up ends with FinishWrapUp), but cancels a pending NOT_READY:
                    // the agent changed their mind and will be AVAILABLE after this call.
                    var after = current.PendingReasonCode is null ? current : await agent.SetReadyAsync();
                    return new SetStateResponse { Status = ContractMapping.Status(after) };
                }
                return new SetStateResponse { Status = ContractMapping.Status(await agent.SetReadyAsync()) };
            case V1AgentState.NotReady:
                var reason = UserReason(request.ReasonCode, "reason_code", allowEmpty: false);
                var status = await agent.SetNotReadyAsync(ContractMapping.ReasonFromApi(reason));
                var pending = status.State is RoutingAgentState.Reserved or RoutingAgentState.OnCall or RoutingAgentState.WrapUp && status.PendingReasonCode is not null;
                return new SetStateResponse { Status = ContractMapping.Status(status), Pending = pending };
            default:
                throw RequestValidation.Invalid($"state {request.State} cannot be set; use AGENT_STATE_AVAILABLE or AGENT_STATE_NOT_READY");
        }
    }

    public override async Task Subscribe(AgentSubscribeRequest request, IServerStreamWriter<AgentEvent> responses, ServerCallContext context)
    {
        var agentId = request.AgentId;
        var agent = Agent(context, agentId);
        // The agent's status alone: the topic's figures change every second and the desk has no use for them.
        using var subscription = streams.GetTopic<StatusUpdate>(RoutingTopics.Agent(agentId)).Subscribe(RoutingTopics.AgentKey(agentId));
        var current = await agent.GetStatusAsync();
        if (current.State == RoutingAgentState.LoggedOut)
        {
            throw RequestValidation.FailedPrecondition($"agent {agentId} is LOGGED_OUT: log in first");
        }

        using var session = _sessions.Open(agentId);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, session.Replaced, lifetime.Stopping);
        ulong sequence = 0;
        var loggedOut = false;
        try
        {
            var status = await agent.DeskConnectedAsync();
            DeskConnected(agentId, session.SessionId);
            await responses.WriteAsync(Event(new AgentEvent { Snapshot = AgentEventDiff.Snapshot(status) }), stop.Token);
            while (!stop.IsCancellationRequested)
            {
                var item = await subscription.ReadAsync(stop.Token);
                if (item.Value is not RoutingAgentStatus next || next.Version <= status.Version)
                {
                    continue; // a value the snapshot already covered
                }
                foreach (var change in AgentEventDiff.Changes(status, next))
                {
                    await responses.WriteAsync(Event(change), stop.Token);
                }
                status = next;
                if (status.State == RoutingAgentState.LoggedOut)
                {
                    loggedOut = true;
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            // Replaced or stopping: answered below.
        }
        finally
        {
            if (_sessions.Close(session) && !loggedOut)
            {
                // The stream dropped (not replaced): the grain's grace period starts now.
                await DisconnectAsync(agent, agentId);
            }
        }
        if (loggedOut)
        {
            throw RequestValidation.FailedPrecondition($"agent {agentId} logged out");
        }
        if (session.IsReplaced)
        {
            throw new RpcException(new Status(StatusCode.Aborted, $"replaced by a newer Subscribe stream for agent {agentId}"));
        }
        if (lifetime.Stopping.IsCancellationRequested)
        {
            throw GatewayLifetime.Unavailable();
        }

        AgentEvent Event(AgentEvent e)
        {
            e.Sequence = ++sequence;
            e.OccurredAt = ContractMapping.Time(DateTimeOffset.UtcNow);
            return e;
        }
    }

    private async Task DisconnectAsync(IAgentGrain agent, string agentId)
    {
        try
        {
            await agent.DeskDisconnectedAsync();
            DeskDisconnected(agentId);
        }
        catch (Exception exception)
        {
            DeskDisconnectFailed(agentId, exception);
        }
    }

    public override async Task<AcceptOfferResponse> AcceptOffer(AcceptOfferRequest request, ServerCallContext context)
    {
        var agent = Agent(context, request.AgentId);
        var offerId = RequestValidation.ServerId(request.OfferId, "offer_id");
        return new AcceptOfferResponse { Status = ContractMapping.Status(await agent.AcceptOfferAsync(offerId)) };
    }

    public override async Task<RejectOfferResponse> RejectOffer(RejectOfferRequest request, ServerCallContext context)
    {
        var agent = Agent(context, request.AgentId);
        var offerId = RequestValidation.ServerId(request.OfferId, "offer_id");
        var reason = UserReason(request.ReasonCode, "reason_code", allowEmpty: true);
        var status = await agent.RejectOfferAsync(offerId);
        if (reason.Length > 0)
        {
            status = await agent.SetNotReadyAsync(ContractMapping.ReasonFromApi(reason));
        }
        return new RejectOfferResponse { Status = ContractMapping.Status(status) };
    }

    public override async Task<HoldResponse> Hold(HoldRequest request, ServerCallContext context)
    {
        var agent = Agent(context, request.AgentId);
        await RequireCurrentCallAsync(agent, request.AgentId, request.CallId, "hold");
        return new HoldResponse { Status = ContractMapping.Status(await agent.HoldAsync()) };
    }

    public override async Task<ResumeResponse> Resume(ResumeRequest request, ServerCallContext context)
    {
        var agent = Agent(context, request.AgentId);
        await RequireCurrentCallAsync(agent, request.AgentId, request.CallId, "resume");
        return new ResumeResponse { Status = ContractMapping.Status(await agent.ResumeAsync()) };
    }

    public override async Task<FinishWrapUpResponse> FinishWrapUp(FinishWrapUpRequest request, ServerCallContext context)
    {
        var agent = Agent(context, request.AgentId);
        var callId = RequestValidation.ServerId(request.CallId, "call_id");
        RequestValidation.MaxLength(request.Notes, "notes", 2000);
        var disposition = request.DispositionCode.Length > 0 ? RequestValidation.Id(request.DispositionCode, "disposition_code") : null;
        if (request.NextState is not (V1AgentState.Unspecified or V1AgentState.Available or V1AgentState.NotReady))
        {
            throw RequestValidation.Invalid($"next_state {request.NextState} is not allowed; use AVAILABLE or NOT_READY");
        }
        string? reason = null;
        if (request.NextState == V1AgentState.NotReady || request.ReasonCode.Length > 0)
        {
            var given = UserReason(request.ReasonCode, "reason_code", allowEmpty: true);
            reason = given.Length > 0 ? ContractMapping.ReasonFromApi(given) : null;
        }
        RoutingAgentStatus status;
        try
        {
            status = await agent.FinishWrapUpAsync(callId, reason, disposition, request.Notes.Length > 0 ? request.Notes : null);
        }
        catch (AgentStateException)
        {
            // A retried finish of the agent's last wrap-up succeeded in the grain; anything else is not this agent's
            // wrap-up to finish (a call it never had, or one before its last).
            var now = await agent.GetStatusAsync();
            throw RequestValidation.FailedPrecondition(
                $"agent {request.AgentId} is not in WRAP_UP for call {callId}: the agent is {ContractMapping.State(now.State)}{(now.CallId is { } c ? $" with call {c}" : "")}");
        }
        return new FinishWrapUpResponse { Status = ContractMapping.Status(status) };
    }

    public override async Task<TransferResponse> Transfer(TransferRequest request, ServerCallContext context)
    {
        var agent = Agent(context, request.AgentId);
        var callId = RequestValidation.ServerId(request.CallId, "call_id");
        RequestValidation.MaxLength(request.Note, "note", 1024);
        TransferTarget target;
        switch (request.TargetCase)
        {
            case TransferRequest.TargetOneofCase.QueueId:
                target = TransferTarget.ToQueue(RequestValidation.Id(request.QueueId, "queue_id"));
                break;
            case TransferRequest.TargetOneofCase.TargetAgentId:
                var to = RequestValidation.Id(request.TargetAgentId, "target_agent_id");
                if (to == request.AgentId)
                {
                    throw RequestValidation.Invalid($"agent {to} cannot transfer a call to themselves");
                }
                target = TransferTarget.ToAgent(to);
                break;
            default:
                throw RequestValidation.Invalid("no target: set queue_id or target_agent_id");
        }
        await RequireCurrentCallAsync(agent, request.AgentId, callId, "transfer");
        var status = await agent.TransferAsync(target);
        var call = await grains.GetGrain<ICallGrain>(callId).GetAsync();
        return new TransferResponse { Status = ContractMapping.Status(status), CallState = ContractMapping.State(call.State) };
    }

    private static async Task RequireCurrentCallAsync(IAgentGrain agent, string agentId, string callId, string action)
    {
        RequestValidation.ServerId(callId, "call_id");
        var status = await agent.GetStatusAsync();
        if (status.State != RoutingAgentState.OnCall || status.CallId != callId)
        {
            throw RequestValidation.FailedPrecondition(
                $"agent {agentId} cannot {action} call {callId}: the agent is {ContractMapping.State(status.State)}{(status.CallId is { } c ? $" with call {c}" : "")}");
        }
    }

    /// <summary>A reason code a user may ask for: a valid id, and not one only the server sets.</summary>
    private static string UserReason(string reason, string field, bool allowEmpty)
    {
        if (reason.Length == 0)
        {
            if (allowEmpty)
            {
                return "";
            }
            throw RequestValidation.Invalid($"{field} is required for NOT_READY");
        }
        RequestValidation.Id(reason, field);
        if (reason is AgentReasonCodes.MissedOffer or AgentReasonCodes.Disconnected)
        {
            throw RequestValidation.Invalid($"{field} '{reason}' is set by the server only");
        }
        return reason;
    }

    [LoggerMessage(9400, LogLevel.Debug, "Desk of agent {AgentId} connected (session {SessionId})")]
    private partial void DeskConnected(string agentId, string sessionId);

    [LoggerMessage(9401, LogLevel.Debug, "Desk of agent {AgentId} disconnected; the grace period runs")]
    private partial void DeskDisconnected(string agentId);

    [LoggerMessage(9402, LogLevel.Warning, "Could not tell agent {AgentId} that its desk disconnected")]
    private partial void DeskDisconnectFailed(string agentId, Exception exception);
}
