using Microsoft.Extensions.Logging;

namespace Switchboard.Silo.Storage.Postgres;

/// <summary>
/// Applies the schema and starts the journal's writer in the store stage, before membership, reminders and grain
/// storage read their queries; flushes the journal and closes it on stop.
/// </summary>
internal sealed class PostgresStoreLifecycle(PostgresConnection connection, PostgresEventJournal journal, ILogger<PostgresStoreLifecycle> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresEventJournal), StoreLifecycleStage.Open, OpenAsync, async _ => await journal.DisposeAsync().ConfigureAwait(false));

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        await PostgresSchema.ApplyAsync(connection, logger, cancellationToken).ConfigureAwait(false);
        journal.Start();
    }
}
