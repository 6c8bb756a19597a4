using System.Collections.Concurrent;
using Switchboard.Actors;

namespace Switchboard.Actors.Tests.State;

public sealed record AgentProfile
{
    public string Name { get; init; } = "";
    public List<string> Skills { get; init; } = [];
    public int Calls { get; set; }
}

public interface IProfileGrain : IGrainWithStringKey
{
    Task Set(string name, string[] skills);
    Task<AgentProfile> Get();
    Task<(bool Exists, string? Etag)> Record();
    Task CountCallWithoutWriting();
    Task Clear();
    Task Deactivate();
    Task Append(string type, int value);
    Task AppendWithoutWaiting(int count);
    Task<long[]> JournalSequences();
    Task<int[]> JournalValues();
}

public sealed class ProfileGrain(
    [PersistentState("profile")] IPersistentState<AgentProfile> profile,
    IGrainJournal journal) : Grain, IProfileGrain
{
    public static readonly ConcurrentDictionary<string, int> Activations = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Activations.AddOrUpdate(this.GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public async Task Set(string name, string[] skills)
    {
        profile.State = profile.State with { Name = name, Skills = [.. skills] };
        await profile.WriteStateAsync();
    }

    public Task<AgentProfile> Get() => Task.FromResult(profile.State);

    public Task<(bool Exists, string? Etag)> Record() => Task.FromResult((profile.RecordExists, profile.Etag));

    public Task CountCallWithoutWriting()
    {
        profile.State.Calls++;
        return Task.CompletedTask;
    }

    public Task Clear() => profile.ClearStateAsync();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task Append(string type, int value) => journal.AppendAsync(type, new { value });

    // Each append is queued before the one before it is durable.
    public Task AppendWithoutWaiting(int count) =>
        Task.WhenAll(Enumerable.Range(1, count).Select(value => journal.AppendAsync("counted", new { value })));

    public async Task<int[]> JournalValues()
    {
        var values = new List<int>();
        await foreach (var record in journal.ReadAsync())
        {
            values.Add(System.Text.Json.JsonDocument.Parse(record.Payload).RootElement.GetProperty("value").GetInt32());
        }
        return [.. values];
    }

    public async Task<long[]> JournalSequences()
    {
        var sequences = new List<long>();
        await foreach (var record in journal.ReadAsync())
        {
            sequences.Add(record.Sequence);
        }
        return [.. sequences];
    }
}

public sealed class UnserializableState
{
    // System.Text.Json refuses System.Type values.
    public Type Kind { get; set; } = typeof(string);
}

public interface IUnserializableGrain : IGrainWithStringKey
{
    Task Nothing();
}

// Generic so that assembly scanning (which skips open generic classes) leaves it out of every other test's silo.
public sealed class UnserializableGrain<TUnused>([PersistentState("bad")] IPersistentState<UnserializableState> state) : Grain, IUnserializableGrain
{
    public Task Nothing() => Task.FromResult(state.RecordExists);
}
