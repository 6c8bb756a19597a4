using Switchboard.Routing.Agents;
using Switchboard.Routing.Journal;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>
/// Fencing by the journal's sequence numbers: an activation whose stream another writer moved on is refused, deactivated,
/// and the operation is applied once, by a fresh activation that reads what the other writer left.
/// </summary>
public sealed class FencingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-fencing-").FullName;

    [Fact]
    public async Task A_stale_agent_activation_is_refused_and_the_change_is_applied_once_by_a_fresh_activation()
    {
        await using var silo = await RoutingSilo.StartAsync(sqlitePath: Path.Combine(_directory, "routing.db"));
        await silo.Agent("a1").LoginAsync(new AgentLogin("user/a1"));
        await silo.SettleAsync();

        // Another activation of a1 (a duplicate during a membership change) appends to a1's stream behind this one's back.
        var last = await silo.Journal.GetLastSequenceAsync("agent/a1");
        await silo.Journal.AppendAsync(new JournalAppend("agent/a1", last + 1,
            [new JournalEntry("test.foreign", silo.Clock.GetUtcNow(), "{}"u8.ToArray())]));

        var status = await silo.Agent("a1").SetReadyAsync();

        Assert.Equal(AgentState.Available, status.State);
        var records = new List<JournalRecord>();
        await foreach (var record in silo.Journal.ReadAsync(new JournalQuery { Stream = "agent/a1", FromSequence = last + 1 }))
        {
            records.Add(record);
        }

        // The foreign record, then the change to Available once: the stale activation wrote nothing.
        Assert.Equal("test.foreign", records[0].Type);
        var available = records.Skip(1).Select(RoutingJournal.ReadEvent).OfType<AgentStateChanged>().Where(e => e.To == AgentState.Available).ToList();
        Assert.Single(available);
        Assert.Equal(AgentState.Available, (await silo.Agent("a1").GetStatusAsync()).State);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
