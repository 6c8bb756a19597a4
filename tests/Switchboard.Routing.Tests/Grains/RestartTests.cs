using Microsoft.Extensions.DependencyInjection;
using Switchboard.Routing.Adapters;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Figures;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>A silo restarted on the same SQLite file finds every call, agent, instruction and change where it was.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-routing-").FullName;

    private string Database => Path.Combine(_directory, "routing.db");

    [Fact]
    public async Task Calls_agents_instructions_and_configuration_survive_a_silo_restart()
    {
        IReadOnlyList<AdapterInstruction> pendingBefore;
        DateTimeOffset stoppedAt;
        await using (var silo = await RoutingSilo.StartAsync(sqlitePath: Database))
        {
            await silo.Center.UpsertSkillAsync("es");
            await silo.ReadyAsync("a1");
            await silo.OfferAsync("c1");
            await silo.Call("c1").AnsweredAsync();
            await silo.AdvanceAsync(TimeSpan.FromSeconds(3));
            await silo.OfferAsync("c2");
            await silo.AdvanceAsync(TimeSpan.FromSeconds(2));
            await silo.OfferAsync("c3");
            await silo.Agent("a3").LoginAsync(new AgentLogin("user/a3"));
            await silo.Agent("a3").SetNotReadyAsync("break");
            pendingBefore = await silo.AdapterGrain().GetPendingAsync();
            stoppedAt = silo.Clock.GetUtcNow();
        }

        await using (var silo = await RoutingSilo.StartAsync(sqlitePath: Database, start: stoppedAt + TimeSpan.FromSeconds(1)))
        {
            Assert.Contains("es", (await silo.Center.GetAsync()).Configuration.Skills);
            var a1 = await silo.Agent("a1").GetStatusAsync();
            Assert.Equal((AgentState.OnCall, "c1", "user/a1"), (a1.State, a1.CallId, a1.Station));
            var a3 = await silo.Agent("a3").GetStatusAsync();
            Assert.Equal((AgentState.NotReady, "break"), (a3.State, a3.ReasonCode));
            Assert.Equal(CallState.Answered, (await silo.Call("c1").GetAsync()).State);
            var waiting = await silo.Queue("billing").GetWaitingCallsAsync();
            Assert.Equal(["c2", "c3"], waiting.Select(w => w.CallId));
            Assert.Equal([TestCenter.Start.AddSeconds(3), TestCenter.Start.AddSeconds(5)], waiting.Select(w => w.EnqueuedAt));
            Assert.Equal(pendingBefore, (await silo.AdapterGrain().ConnectAsync()).Unacknowledged);

            // And it goes on from there: the call ends, the agent wraps up and takes the next call in line.
            await silo.Call("c1").EndedAsync();
            await silo.SettleAsync();
            await silo.Agent("a1").FinishWrapUpAsync("c1");
            await silo.SettleAsync();
            Assert.Equal("a1", (await silo.Call("c2").GetAsync()).AgentId);

            var figures = await silo.Figures.GetLiveAsync(FigureScope.Queue("billing"), TimeSpan.FromMinutes(15));
            Assert.Equal((3, 1), (figures.Today.Offered, figures.Today.Answered));
        }
    }

    [Fact]
    public async Task Retried_desk_requests_are_still_recognised_after_a_restart_and_other_ids_are_refused()
    {
        string offerId;
        DateTimeOffset stoppedAt;
        await using (var silo = await RoutingSilo.StartAsync(sqlitePath: Database))
        {
            await silo.ReadyAsync("a1");
            await silo.OfferAsync("c1");
            offerId = (await silo.Agent("a1").GetStatusAsync()).Offer!.OfferId;
            await silo.Agent("a1").AcceptOfferAsync(offerId);
            await silo.Call("c1").AnsweredAsync();
            await silo.SettleAsync();
            stoppedAt = silo.Clock.GetUtcNow();
        }

        await using (var silo = await RoutingSilo.StartAsync(sqlitePath: Database, start: stoppedAt + TimeSpan.FromSeconds(1)))
        {
            Assert.Equal(AgentState.OnCall, (await silo.Agent("a1").AcceptOfferAsync(offerId)).State);
            // Offers the agent never had are unknown to it (agent_desk.proto: NOT_FOUND).
            await Assert.ThrowsAsync<RoutingNotFoundException>(() => silo.Agent("a1").AcceptOfferAsync(offerId.Replace("c1@", "c9@", StringComparison.Ordinal)));
            await Assert.ThrowsAsync<RoutingNotFoundException>(() => silo.Agent("a1").AcceptOfferAsync(offerId + "0"));

            await silo.Call("c1").EndedAsync();
            await silo.SettleAsync();
            await silo.Agent("a1").FinishWrapUpAsync("c1");
        }

        await using (var silo = await RoutingSilo.StartAsync(sqlitePath: Database, start: stoppedAt + TimeSpan.FromSeconds(2)))
        {
            var again = await silo.Agent("a1").FinishWrapUpAsync("c1");
            Assert.Equal(AgentState.Available, again.State);
            await Assert.ThrowsAsync<AgentStateException>(() => silo.Agent("a1").FinishWrapUpAsync("c2"));
        }
    }

    [Fact]
    public async Task A_ringing_offer_rings_out_after_a_restart_and_the_call_goes_back_in_line()
    {
        DateTimeOffset stoppedAt;
        await using (var silo = await RoutingSilo.StartAsync(sqlitePath: Database))
        {
            await silo.ReadyAsync("a1");
            await silo.OfferAsync("c1");
            await silo.AdvanceAsync(TimeSpan.FromSeconds(5));
            stoppedAt = silo.Clock.GetUtcNow();
        }

        await using (var silo = await RoutingSilo.StartAsync(sqlitePath: Database, start: stoppedAt))
        {
            Assert.Equal(AgentState.Reserved, (await silo.Agent("a1").GetStatusAsync()).State);
            await silo.AdvanceAsync(TimeSpan.FromSeconds(10));

            var agent = await silo.Agent("a1").GetStatusAsync();
            Assert.Equal((AgentState.NotReady, AgentReasonCodes.MissedOffer), (agent.State, agent.ReasonCode));
            Assert.Equal("c1", Assert.Single(await silo.Queue("billing").GetWaitingCallsAsync()).CallId);
        }
    }

    [Fact]
    public async Task An_adapter_replays_only_what_is_unacknowledged_and_keeps_numbering_after_a_restart()
    {
        DateTimeOffset stoppedAt;
        AdapterInstruction last;
        await using (var silo = await RoutingSilo.StartAsync(sqlitePath: Database))
        {
            await silo.ReadyAsync("a1");
            await silo.OfferAsync("c1");
            await silo.Call("c1").AnsweredAsync();
            await silo.SettleAsync();
            for (var i = 0; i < 70; i++)
            {
                await silo.Agent("a1").HoldAsync();
                await silo.SettleAsync();
                await silo.Agent("a1").ResumeAsync();
                await silo.SettleAsync();
            }

            var pending = await silo.AdapterGrain().GetPendingAsync();
            Assert.Equal(141, pending.Count);
            foreach (var instruction in pending.Take(140))
            {
                await silo.AdapterGrain().AckAsync(instruction.InstructionId, InstructionOutcome.Done);
            }

            last = pending[^1];
            stoppedAt = silo.Clock.GetUtcNow();
        }

        await using (var silo = await RoutingSilo.StartAsync(sqlitePath: Database, start: stoppedAt))
        {
            Assert.Equal([last], (await silo.AdapterGrain().ConnectAsync()).Unacknowledged);
            await silo.Agent("a1").HoldAsync();
            await silo.SettleAsync();

            // Numbering resumes past the block of numbers the first silo reserved (ADR 006), never below it.
            var next = (await silo.AdapterGrain().GetPendingAsync())[^1];
            Assert.InRange(next.Sequence, last.Sequence + 1, last.Sequence + 1 + new Switchboard.Routing.Hosting.RoutingOptions().InstructionNumberBlock);
            Assert.NotEqual(last.InstructionId, next.InstructionId);
        }
    }

    [Fact]
    public async Task An_agent_logged_out_before_a_restart_starts_again_from_its_logout()
    {
        DateTimeOffset stoppedAt;
        await using (var silo = await RoutingSilo.StartAsync(sqlitePath: Database))
        {
            await silo.ReadyAsync("a1");
            await silo.OfferAsync("c1");
            await silo.Call("c1").AnsweredAsync();
            await silo.Call("c1").EndedAsync();
            await silo.SettleAsync();
            await silo.Agent("a1").FinishWrapUpAsync("c1", "break");
            await silo.Agent("a1").LogoutAsync();
            stoppedAt = silo.Clock.GetUtcNow();
        }

        await using (var silo = await RoutingSilo.StartAsync(sqlitePath: Database, start: stoppedAt + TimeSpan.FromMinutes(1)))
        {
            var agent = await silo.Agent("a1").GetStatusAsync();
            Assert.Equal((AgentState.LoggedOut, null), (agent.State, agent.Station));
            await silo.ReadyAsync("a1");
            Assert.Equal("a1", (await silo.OfferAsync("c2")).AgentId);
        }
    }

    [Fact]
    public async Task A_long_line_survives_a_restart_and_each_change_journals_only_the_calls_it_touched()
    {
        var offered = Enumerable.Range(0, 300).Select(i => $"c{i:000}").ToList();
        DateTimeOffset stoppedAt;
        await using (var silo = await RoutingSilo.StartAsync(sqlitePath: Database))
        {
            // Nobody is ready: every call waits, one queue change each (past the queue's checkpoint interval).
            foreach (var callId in offered)
            {
                await silo.OfferAsync(callId, caller: "+1" + callId[1..]);
            }

            await silo.Call("c150").CallerHungUpAsync();
            await silo.SettleAsync();

            var store = silo.Journal;
            var records = new List<Switchboard.Routing.Journal.JournalRecord>();
            await foreach (var record in store.ReadAsync(new Switchboard.Routing.Journal.JournalQuery { Stream = "queue/billing" }, CancellationToken.None))
            {
                records.Add(record);
            }

            var last = Switchboard.Routing.Journal.RoutingJournal.Read<Switchboard.Routing.Queues.QueueLineChange>(records[^1]);
            Assert.Empty(last.Set);
            Assert.Equal(["c150"], last.Removed);
            Assert.All(records.SkipLast(1).TakeLast(10), r => Assert.Single(Switchboard.Routing.Journal.RoutingJournal.Read<Switchboard.Routing.Queues.QueueLineChange>(r).Set));
            stoppedAt = silo.Clock.GetUtcNow();
        }

        await using (var silo = await RoutingSilo.StartAsync(sqlitePath: Database, start: stoppedAt + TimeSpan.FromSeconds(1)))
        {
            var waiting = await silo.Queue("billing").GetWaitingCallsAsync();
            Assert.Equal(offered.Where(c => c != "c150"), waiting.Select(w => w.CallId));
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
