using Switchboard.Routing.Agents;
using Switchboard.Routing.Configuration;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>An agent gives a call its outcome when finishing wrap-up: checked against the center's dispositions, kept on the call.</summary>
public sealed class WrapUpDispositionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-disposition-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task InWrapUpAsync(RoutingSilo silo, string agentId, string callId)
    {
        await silo.ReadyAsync(agentId);
        await silo.OfferAsync(callId);
        await silo.Call(callId).AnsweredAsync();
        await silo.Call(callId).EndedAsync();
        await silo.SettleAsync();
    }

    [Fact]
    public async Task A_disposition_and_notes_given_at_the_end_of_wrap_up_are_kept_on_the_call_across_a_restart()
    {
        var database = Path.Combine(_directory, "routing.db");
        DateTimeOffset stoppedAt;
        await using (var silo = await RoutingSilo.StartAsync(sqlitePath: database))
        {
            await silo.Center.UpsertReasonCodeAsync("resolved", kind: ReasonCodeKind.Disposition);
            await InWrapUpAsync(silo, "a1", "c1");
            await silo.Agent("a1").FinishWrapUpAsync("c1", dispositionCode: "resolved", notes: "refund issued");
            stoppedAt = silo.Clock.GetUtcNow();
        }

        await using (var silo = await RoutingSilo.StartAsync(sqlitePath: database, start: stoppedAt))
        {
            var call = await silo.Call("c1").GetAsync();
            Assert.Equal(("resolved", "refund issued"), (call.DispositionCode, call.Notes));
        }
    }

    [Fact]
    public async Task An_unknown_disposition_is_refused_and_the_agent_stays_in_wrap_up()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.Center.UpsertReasonCodeAsync("resolved", kind: ReasonCodeKind.Disposition);
        await InWrapUpAsync(silo, "a1", "c1");

        var unknown = await Assert.ThrowsAsync<RoutingException>(() => silo.Agent("a1").FinishWrapUpAsync("c1", dispositionCode: "solved"));
        var notReadyReason = await Assert.ThrowsAsync<RoutingException>(() => silo.Agent("a1").FinishWrapUpAsync("c1", dispositionCode: "break"));

        Assert.Equal(("invalid-disposition", "invalid-disposition"), (unknown.Code, notReadyReason.Code));
        Assert.Contains("'solved'", unknown.Message);
        Assert.Equal(AgentState.WrapUp, (await silo.Agent("a1").GetStatusAsync()).State);
        Assert.Null((await silo.Call("c1").GetAsync()).DispositionCode);
    }

    [Fact]
    public async Task A_queue_that_requires_a_disposition_refuses_a_wrap_up_without_one()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.Center.UpsertReasonCodeAsync("resolved", kind: ReasonCodeKind.Disposition);
        await silo.Center.UpsertQueueAsync(TestCenter.Configuration.QueuesById["billing"] with { DispositionRequired = true });
        await InWrapUpAsync(silo, "a1", "c1");

        var error = await Assert.ThrowsAsync<RoutingException>(() => silo.Agent("a1").FinishWrapUpAsync("c1"));
        var finished = await silo.Agent("a1").FinishWrapUpAsync("c1", dispositionCode: "resolved");

        Assert.Equal("disposition-required", error.Code);
        Assert.Contains("queue billing requires one", error.Message);
        Assert.Equal(AgentState.Available, finished.State);
    }

    [Fact]
    public async Task A_disposition_is_not_a_not_ready_reason()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.Center.UpsertReasonCodeAsync("resolved", kind: ReasonCodeKind.Disposition);
        await silo.ReadyAsync("a1");

        await Assert.ThrowsAnyAsync<RoutingException>(() => silo.Agent("a1").SetNotReadyAsync("resolved"));

        var center = (await silo.Center.GetAsync()).Configuration;
        Assert.Equal(["resolved"], center.Dispositions.ToArray());
        Assert.DoesNotContain("resolved", center.ReasonCodes);
    }

    [Fact]
    public async Task A_disabled_agent_cannot_log_in()
    {
        await using var silo = await RoutingSilo.StartAsync();
        var a3 = TestCenter.Configuration.AgentsById["a3"];
        await silo.Center.UpsertAgentAsync(a3 with { Disabled = true });

        var error = await Assert.ThrowsAsync<AgentStateException>(() => silo.Agent("a3").LoginAsync(new AgentLogin("user/a3")));

        Assert.Equal("agent-disabled", error.Code);
        Assert.Contains("agent a3 is disabled", error.Message);
        Assert.Equal(AgentState.LoggedOut, (await silo.Agent("a3").GetStatusAsync()).State);
    }
}
