using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchboard.Actors.Activation;
using Switchboard.Actors.State;
using Switchboard.Actors.Storage;

namespace Switchboard.Actors.Journal;

/// <summary>A grain's journal stream over its store, numbered by the activation (one writer per grain).</summary>
internal sealed class GrainJournal : IGrainJournal, IGrainStateLifecycle
{
    private readonly ActivationData _activation;
    private readonly IGrainStore _store;
    private readonly string _stream;

    internal GrainJournal(ActivationData activation, string? storeName)
    {
        _activation = activation;
        _store = activation.Runtime.Stores.Get(storeName ?? activation.Runtime.Options.DefaultStoreName);
        _stream = activation.GrainId.ToString();
        activation.AddStateLifecycle(this);
    }

    // True from an activation that found the stream empty until the first append is attempted: reads then have
    // nothing to return and skip the store (a new call's grain replays its journal on activation).
    private bool _knownEmpty;

    public long LastSequence { get; private set; }

    // The last sequence handed to an append, durable or not. Appends are numbered as they are queued, so a grain may
    // queue another before the first is durable (the store commits them in order, each batch one transaction).
    public long ReservedSequence { get; private set; }

    public Task AppendAsync<TPayload>(string type, TPayload payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        var entry = new JournalEntry(type, _activation.Runtime.TimeProvider.GetUtcNow(), JsonSerializer.SerializeToUtf8Bytes(payload, StateJson.Options));
        return AppendAsync([entry], cancellationToken);
    }

    public async Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }
        var lease = _activation.Lease;
        _knownEmpty = false;
        var first = ReservedSequence + 1;
        ReservedSequence += entries.Count;
        try
        {
            await _store.AppendJournalAsync(new JournalAppend(_stream, first, entries, lease.Partition, lease.Epoch), cancellationToken);
        }
        catch (Exception)
        {
            // Nothing of this append was written, and appends queued after it leave a gap, so the store refuses them
            // too: the next append takes this one's place (earlier ones still in flight may yet commit).
            ReservedSequence = Math.Min(ReservedSequence, first - 1);
            throw;
        }

        LastSequence = Math.Max(LastSequence, first + entries.Count - 1);
    }

    public async IAsyncEnumerable<JournalRecord> ReadAsync(long fromSequence = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_knownEmpty)
        {
            yield break;
        }

        await foreach (var record in _store.ReadJournalAsync(new JournalQuery { Stream = _stream, FromSequence = fromSequence }, cancellationToken))
        {
            yield return record;
        }
    }

    async Task IGrainStateLifecycle.OnActivateAsync(CancellationToken cancellationToken)
    {
        LastSequence = await _store.GetLastSequenceAsync(_stream, cancellationToken);
        ReservedSequence = LastSequence;
        _knownEmpty = LastSequence == 0;
    }

    Task IGrainStateLifecycle.OnDeactivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
