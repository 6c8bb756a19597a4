using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;
using Switchboard.Routing.Journal;
using Switchboard.Silo.Storage;
using Switchboard.Silo.Storage.Postgres;
using Switchboard.Silo.Tests.Infrastructure;
using static Switchboard.Silo.Tests.Infrastructure.JournalSamples;

namespace Switchboard.Silo.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresEventJournalTests(PostgresFixture postgres) : EventJournalContract
{
    internal static async Task<PostgresEventJournal> OpenJournalAsync(string connectionString, Action<PostgresStoreOptions>? configure = null)
    {
        var options = new PostgresStoreOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        var connection = new PostgresConnection(options);
        await PostgresSchema.ApplyAsync(connection, NullLogger.Instance, CancellationToken.None);
        var journal = new PostgresEventJournal(connection, options, NullLogger<PostgresEventJournal>.Instance);
        journal.Start();
        return journal;
    }

    protected override async Task<(IEventJournal Journal, IAsyncDisposable Owner)> OpenAsync()
    {
        var journal = await OpenJournalAsync(await postgres.NewDatabaseAsync());
        return (journal, journal);
    }

    [Fact]
    public async Task Silos_starting_together_all_apply_the_schema_and_none_fails()
    {
        var database = await postgres.NewDatabaseAsync();
        var connection = new PostgresConnection(new PostgresStoreOptions { ConnectionString = database });
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostgresSchema.ApplyAsync(connection, NullLogger.Instance, CancellationToken.None)));

        await using var session = new NpgsqlConnection(database);
        await session.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey", session);
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }
        // Every key the 10.4.2 providers read: grain storage, clustering, reminders.
        string[] contract = ["ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey",
            "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey", "MembershipReadRowKey",
            "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "CleanupDefunctSiloEntriesKey", "GatewaysQueryKey",
            "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
            "DeleteReminderRowKey", "DeleteReminderRowsKey"];
        Assert.Equal(contract.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Two_silos_appending_to_one_stream_cannot_both_win_its_next_sequence()
    {
        var database = await postgres.NewDatabaseAsync();
        await using var a = await OpenJournalAsync(database);
        await using var b = await OpenJournalAsync(database);
        for (var round = 1; round <= 20; round++)
        {
            var fromA = a.AppendAsync(Append("queue/billing", round, Entry("queue.line", payload: "{\"by\":\"a\"}")));
            var fromB = b.AppendAsync(Append("queue/billing", round, Entry("queue.line", payload: "{\"by\":\"b\"}")));
            var outcomes = await Task.WhenAll(fromA.ContinueWith(t => t.Exception?.InnerException), fromB.ContinueWith(t => t.Exception?.InnerException));
            Assert.Single(outcomes, error => error is null);
            Assert.IsType<JournalConflictException>(Assert.Single(outcomes, error => error is not null));
        }
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), (await a.ReadAllAsync(new JournalQuery { Stream = "queue/billing" })).Select(r => r.Sequence));
    }

    [Fact]
    public async Task Batched_appends_take_fewer_transactions_than_appends()
    {
        await using var journal = await OpenJournalAsync(await postgres.NewDatabaseAsync());
        await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => journal.AppendAsync(Append($"agent/a{i}", 1, Entry("agent.available")))));
        Assert.Equal(1000, journal.Statistics.Writes);
        Assert.True(journal.Statistics.Transactions < 1000);
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_fails_start_up_naming_the_store_and_target_but_not_the_password()
    {
        var port = Switchboard.Testing.FreePorts.Next();
        var connection = new PostgresConnection(new PostgresStoreOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={port};Database=switchboard;Username=silo;Password=s3cret-pass",
            ConnectTimeout = TimeSpan.FromSeconds(2),
        });
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => PostgresSchema.ApplyAsync(connection, NullLogger.Instance, CancellationToken.None));
        Assert.StartsWith($"Store 'postgres' at 127.0.0.1:{port}/switchboard", error.Message);
        Assert.DoesNotContain("s3cret-pass", error.Message);
    }
}
