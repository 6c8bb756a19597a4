using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Contracts.V1;
using Switchboard.Gateway.Adapters;
using Switchboard.Gateway.Tests.Infrastructure;
using static Switchboard.Gateway.Tests.Infrastructure.TestSilo;

namespace Switchboard.Gateway.Tests.Services;

/// <summary>
/// A silo routing as many offers as it takes at once refuses the next one at once (RESOURCE_EXHAUSTED), loses none
/// of those it took, and takes the refused call when it is offered again.
/// </summary>
public sealed class OverloadTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("switchboard-overload-").FullName;
    private TestSilo _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(null, "--store", "sqlite", "--data-dir", _data, "--Switchboard:Gateway:MaxOffersInProgress", "2");

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    private Task<OfferCallResponse> Offer(string externalCallId) =>
        _silo.CallAsync<OfferCallRequest, OfferCallResponse>("TelephonyAdapter", "OfferCall",
            new OfferCallRequest { AdapterId = "fs-1", ExternalCallId = externalCallId, CallerNumber = "+4930" + externalCallId.Length, QueueId = "billing" },
            AdapterKey);

    [Fact]
    public async Task An_offer_past_the_limit_is_refused_at_once_and_the_offers_in_progress_all_complete()
    {
        var admission = _silo.Services.GetRequiredService<OfferAdmission>();
        await Offer("warm-up"); // activations, connection, the store open

        // Another writer holds the database's write lock: the store's commits wait for it (busy timeout, 5 s), so
        // the two offers the silo takes stay in progress, as they do when its store or its grains fall behind.
        await using var writer = new SqliteConnection($"Data Source={Path.Combine(_data, "switchboard.db")}");
        await writer.OpenAsync();
        await using (var begin = writer.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }
        var taken = new[] { Offer("taken-1"), Offer("taken-2") };
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (admission.InProgress < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }
        Assert.Equal(2, admission.InProgress);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Offer("refused"));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("routing 2 offers already", refused.Status.Detail);
        Assert.Contains("Switchboard:Gateway:MaxOffersInProgress", refused.Status.Detail);
        Assert.All(taken, offer => Assert.False(offer.IsCompleted, "an offer in progress completed while the store was held"));

        await using (var rollback = writer.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }
        foreach (var offer in taken)
        {
            var reply = await offer.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.False(reply.Duplicate);
            Assert.Equal(CallState.Queued, reply.State); // nobody is logged in: the calls wait in line
        }
        Assert.Equal(0, admission.InProgress);

        // The refused call left nothing behind: offered again, it is a new call, not a duplicate of one half taken.
        var retried = await Offer("refused");
        Assert.False(retried.Duplicate);
        Assert.Equal("fs-1:refused", retried.CallId);
        var waiting = await _silo.CallAsync<GetCallRequest, GetCallResponse>("TelephonyAdapter", "GetCall",
            new GetCallRequest { AdapterId = "fs-1", CallId = "fs-1:taken-2" }, AdapterKey);
        Assert.Equal(CallState.Queued, waiting.State);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_silo.HttpPort}") };
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Matches(@"switchboard_gateway_offers_refused_total(\{[^}]*\})? [1-9]", metrics);
        Assert.Contains("switchboard_gateway_offers_in_progress", metrics);
    }

    [Fact]
    public async Task A_limit_below_one_is_refused_at_start_up_naming_the_setting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestSilo.StartAsync(null, "--Switchboard:Gateway:MaxOffersInProgress", "0"));
        Assert.Contains("Switchboard:Gateway:MaxOffersInProgress must be at least 1", error.Message);
    }
}
