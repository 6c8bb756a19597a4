namespace Switchboard.Silo.Tests.Infrastructure;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync(string? note = null);

    Task<(int Count, string? Note, string? ETag, bool Exists)> GetAsync();

    Task ClearAsync();
}

/// <summary>A second grain type with the same state name, to show rows of different grain types never mix.</summary>
public interface IOtherCounterGrain : ICounterGrain
{
}

public class CounterGrain([PersistentState("counter")] IPersistentState<CounterState> state) : Grain, ICounterGrain
{
    public async Task<int> IncrementAsync(string? note = null)
    {
        state.State.Count++;
        state.State.Note = note;
        await state.WriteStateAsync();
        return state.State.Count;
    }

    public Task<(int Count, string? Note, string? ETag, bool Exists)> GetAsync() =>
        Task.FromResult((state.State.Count, state.State.Note, state.Etag, state.RecordExists));

    public Task ClearAsync() => state.ClearStateAsync();
}

public sealed class OtherCounterGrain([PersistentState("counter")] IPersistentState<CounterState> state) : CounterGrain(state), IOtherCounterGrain
{
}

public interface IReminderGrain : IGrainWithStringKey
{
    Task RegisterAsync(string name);

    Task<bool> HasAsync(string name);
}

public sealed class ReminderGrain : Grain, IReminderGrain, IRemindable
{
    public Task RegisterAsync(string name) => this.RegisterOrUpdateReminder(name, TimeSpan.FromHours(1), TimeSpan.FromHours(1));

    public async Task<bool> HasAsync(string name) => await this.GetReminder(name) is not null;

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
