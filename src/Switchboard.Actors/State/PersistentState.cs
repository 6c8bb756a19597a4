using System.Text.Json;
using Switchboard.Actors.Activation;
using Switchboard.Actors.Storage;

namespace Switchboard.Actors.State;

/// <summary>
/// A grain's persistent state over an <see cref="IGrainStore"/>: JSON rows with an ETag, written under the
/// activation's partition lease (fencing). It remembers the bytes it last wrote, so a deactivation can tell
/// whether anything changed since.
/// </summary>
internal sealed class PersistentState<TState> : IPersistentState<TState>, IGrainStateLifecycle
{
    private readonly ActivationData _activation;
    private readonly IGrainStore _store;
    private readonly StateKey _key;
    private byte[]? _lastWritten;

    public PersistentState(ActivationData activation, string stateName, IGrainStore store)
    {
        _activation = activation;
        _store = store;
        _key = new StateKey(stateName, activation.GrainId);
        State = NewState();
    }

    public TState State { get; set; }

    public string? Etag { get; private set; }

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await _store.ReadStateAsync(_key, cancellationToken);
        if (stored is null)
        {
            State = NewState();
            Etag = null;
            RecordExists = false;
            _lastWritten = null;
            return;
        }
        try
        {
            State = JsonSerializer.Deserialize<TState>(stored.Data.Span, StateJson.Options) ?? NewState();
        }
        catch (JsonException exception)
        {
            throw new StateSerializationException(_activation.GrainClass.ClassType.Name, _key.StateName, typeof(TState), exception);
        }
        Etag = stored.ETag;
        RecordExists = true;
        _lastWritten = stored.Data.ToArray();
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var data = Serialize();
        var lease = _activation.Lease;
        Etag = await _store.WriteStateAsync(new StateWrite(_key, data, Etag, lease.Partition, lease.Epoch), cancellationToken);
        RecordExists = true;
        _lastWritten = data;
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        var lease = _activation.Lease;
        await _store.ClearStateAsync(new StateClear(_key, Etag, lease.Partition, lease.Epoch), cancellationToken);
        State = NewState();
        Etag = null;
        RecordExists = false;
        _lastWritten = null;
    }

    Task IGrainStateLifecycle.OnActivateAsync(CancellationToken cancellationToken) => ReadStateAsync(cancellationToken);

    Task IGrainStateLifecycle.OnDeactivateAsync(CancellationToken cancellationToken)
    {
        if (!_activation.Runtime.Options.PersistChangedStateOnDeactivation)
        {
            return Task.CompletedTask;
        }
        var current = Serialize();
        var baseline = _lastWritten ?? JsonSerializer.SerializeToUtf8Bytes(NewState(), StateJson.Options);
        return current.AsSpan().SequenceEqual(baseline) ? Task.CompletedTask : WriteStateAsync(cancellationToken);
    }

    private byte[] Serialize()
    {
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(State, StateJson.Options);
        }
        catch (Exception exception) when (exception is NotSupportedException or JsonException or InvalidOperationException)
        {
            throw new StateSerializationException(_activation.GrainClass.ClassType.Name, _key.StateName, typeof(TState), exception);
        }
    }

    private static TState NewState() => Construct();

    // Built once per state type: Activator.CreateInstance<T> goes through reflection caches that a GC may drop.
    private static readonly Func<TState> Construct =
        System.Linq.Expressions.Expression.Lambda<Func<TState>>(System.Linq.Expressions.Expression.New(typeof(TState))).Compile();
}
