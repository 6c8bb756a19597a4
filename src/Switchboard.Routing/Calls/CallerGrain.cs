using Microsoft.Extensions.Options;
using Switchboard.Routing.Hosting;

namespace Switchboard.Routing.Calls;

/// <summary>Remembers a caller's last call and last answering agent (key: the caller's number), for repeat calls.</summary>
internal interface ICallerGrain : IGrainWithStringKey
{
    /// <summary>Records a new call and returns what was known before it.</summary>
    Task<CallerHistory> CallOfferedAsync(DateTimeOffset at);

    /// <summary>Records the agent who answered the caller.</summary>
    Task CallAnsweredAsync(string agentId, DateTimeOffset at);
}

/// <summary>A caller's history before this call: whether it is a repeat call and who handled it last (within memory).</summary>
[GenerateSerializer, Immutable, Alias("sb.CallerHistory")]
internal sealed record CallerHistory(bool RepeatCall, string? LastAgentId);

/// <summary>Stored state of a caller.</summary>
[GenerateSerializer, Alias("sb.CallerState")]
internal sealed class CallerState
{
    [Id(0)]
    public DateTimeOffset? LastCallAt { get; set; }

    [Id(1)]
    public string? LastAgentId { get; set; }

    [Id(2)]
    public DateTimeOffset? LastAnsweredAt { get; set; }
}

internal sealed class CallerGrain(
    [PersistentState("caller")] IPersistentState<CallerState> state,
    IOptions<RoutingOptions> options) : Grain, ICallerGrain
{
    private Task _writing = Task.CompletedTask;

    public Task<CallerHistory> CallOfferedAsync(DateTimeOffset at)
    {
        var memory = options.Value.RepeatCallerMemory;
        var s = state.State;
        var repeat = s.LastCallAt is { } last && at - last <= memory && at >= last;
        var agent = s.LastAnsweredAt is { } answered && at - answered <= memory ? s.LastAgentId : null;
        s.LastCallAt = at;
        WriteBehind();
        return Task.FromResult(new CallerHistory(repeat, agent));
    }

    public Task CallAnsweredAsync(string agentId, DateTimeOffset at)
    {
        state.State.LastAgentId = agentId;
        state.State.LastAnsweredAt = at;
        WriteBehind();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _writing;

    // A caller's memory is a routing preference, not a record: it is written behind the call (writes chained in
    // order so they never race), off the offer's hot path. Once the last write is durable the activation goes:
    // the next call of this caller reads the memory back, and a silo holds no activation per caller meanwhile.
    private void WriteBehind()
    {
        var writing = WriteAfterAsync(_writing);
        _writing = writing;
        _ = RetireAfterAsync(writing);
    }

    private async Task RetireAfterAsync(Task writing)
    {
        try
        {
            await writing;
        }
        catch (Exception)
        {
            // The activation stays: its next write carries the latest state.
            return;
        }

        if (ReferenceEquals(writing, _writing))
        {
            DeactivateOnIdle();
        }
    }

    private async Task WriteAfterAsync(Task previous)
    {
        try
        {
            await previous;
        }
        catch (Exception)
        {
            // The next write carries the latest state anyway.
        }

        await state.WriteStateAsync();
    }
}
