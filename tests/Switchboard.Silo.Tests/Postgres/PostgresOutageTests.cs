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

/// <summary>The journal while its database is stopped and started again (a server of its own, in the outage collection).</summary>
[Collection(PostgresOutageCollection.Name)]
public sealed class PostgresOutageTests : IAsyncLifetime
{
    private PostgresFixture _postgres = new();

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public Task DisposeAsync() => _postgres.DisposeAsync();

    [Fact]
    public async Task While_the_database_is_down_appends_fail_with_JournalUnavailableException_and_after_it_is_back_they_commit()
    {
        var database = await _postgres.NewDatabaseAsync();
        await using var journal = await PostgresEventJournalTests.OpenJournalAsync(database, o =>
        {
            o.ConnectTimeout = TimeSpan.FromSeconds(1);
            o.CommandTimeout = TimeSpan.FromSeconds(2);
            o.JournalAttempts = 2;
        });
        await journal.AppendAsync(Append("call/c1", 1, Entry("call.offered")));

        await _postgres.Server.StopAsync();
        var refused = await Assert.ThrowsAsync<JournalUnavailableException>(() => journal.AppendAsync(Append("call/c1", 2, Entry("call.queued"))));
        Assert.Contains("postgres-journal", refused.Message);
        await Assert.ThrowsAsync<JournalUnavailableException>(() => journal.GetLastSequenceAsync("call/c1"));

        await _postgres.Server.RestartAsync();
        // Recovers by itself: the writer opens a new connection for the next batch.
        await Poll.UntilAsync(async () =>
        {
            try
            {
                await journal.AppendAsync(Append("call/c1", 2, Entry("call.queued")));
                return true;
            }
            catch (JournalUnavailableException)
            {
                return false;
            }
        }, "an append after PostgreSQL came back");
        Assert.Equal(["call.offered", "call.queued"], (await journal.ReadAllAsync(new JournalQuery { Stream = "call/c1" })).Select(r => r.Type));
    }
}
