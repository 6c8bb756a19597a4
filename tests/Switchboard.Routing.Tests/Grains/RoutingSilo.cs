using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Storage;
using Orleans.TestingHost;
using Switchboard.LoadTests.Hosting;
using Switchboard.Routing.Adapters;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Figures;
using Switchboard.Routing.Hosting;
using Switchboard.Routing.Journal;
using Switchboard.Routing.Queues;
using Switchboard.Routing.Topics;
using Switchboard.Silo.Storage.Sqlite;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>
/// An Orleans cluster with the routing grains in the test process (Orleans.TestingHost's InProcessTestCluster, one
/// silo unless asked for more): the real grains, the in-memory store or, given a file, the silo's real SQLite store
/// (a test restarts a silo on it), and a virtual clock that only moves when a test advances it. After each step the test waits for the silos to settle:
/// no grain call in flight and no fired timer still ticking.
/// </summary>
internal sealed class RoutingSilo : IAsyncDisposable
{
    public const string Adapter = "fs-1";

    private readonly InProcessTestCluster _cluster;
    private readonly SiloQuiescence _quiescence;
    private bool _stopped;

    private RoutingSilo(InProcessTestCluster cluster, SiloQuiescence quiescence, InMemoryStore store)
    {
        _cluster = cluster;
        _quiescence = quiescence;
        Store = store;
    }

    public FakeTimeProvider Clock => _quiescence.Clock;

    /// <summary>The first silo's grain factory: calls made as the gateway makes them, from inside a silo.</summary>
    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>The first silo's topics.</summary>
    public ITopicHub Streams => Services.GetRequiredService<ITopicHub>();

    public IServiceProvider Services => _cluster.Silos[0].ServiceProvider;

    public InProcessTestCluster Cluster => _cluster;

    public InMemoryStore Store { get; }

    /// <summary>The event journal the silo's grains write (the real store's, behind a test's wrapper).</summary>
    public IEventJournal Journal => Services.GetRequiredService<IEventJournal>();

    public static async Task<RoutingSilo> StartAsync(
        CenterConfiguration? center = null,
        string? sqlitePath = null,
        DateTimeOffset? start = null,
        Action<RoutingOptions>? routing = null,
        bool wakeAll = true,
        Func<IEventJournal, IEventJournal>? wrapJournal = null,
        short silos = 1)
    {
        var quiescence = new SiloQuiescence(new FakeTimeProvider(start ?? TestCenter.Start));
        var store = new InMemoryStore();

        var builder = new InProcessTestClusterBuilder(silos);
        // The cluster client only where a test moves grains between silos (migration goes through it).
        builder.Options.InitializeClientOnDeploy = silos > 1;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseVirtualTime(quiescence);
            if (sqlitePath is null)
            {
                silo.UseInMemoryStore(store);
            }
            else
            {
                // The silo's real embedded store: its file is switchboard.db in the folder of sqlitePath.
                silo.AddSwitchboardSqliteStore(o => o.DataDirectory = Path.GetDirectoryName(Path.GetFullPath(sqlitePath))!);
            }

            if (wrapJournal is not null)
            {
                // The journal as the silo sees it: the real one behind the test's wrapper (the next silo on the same
                // file gets the real one again); a crashing journal's crash stops state writes too.
                Decorate<IEventJournal>(silo.Services, null, (_, inner) => wrapJournal(inner));
                Decorate<IGrainStorage>(silo.Services, ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (provider, inner) =>
                    new CrashableGrainStorage(inner, () => provider.GetRequiredService<IEventJournal>() is CrashingJournal { IsCrashed: true }));
            }

            silo.AddRouting(o =>
            {
                o.Center = center ?? TestCenter.Configuration;
                o.ExpireUnacknowledgedOffers = false;
                o.ActivateAllOnStart = wakeAll;
                routing?.Invoke(o);
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var silo = new RoutingSilo(cluster, quiescence, store);
        await silo.SettleAsync();
        return silo;
    }

    // Replaces the (last) registration of TService, keyed or not, by a wrapper around what it made.
    private static void Decorate<TService>(IServiceCollection services, object? key, Func<IServiceProvider, TService, TService> wrap)
        where TService : class
    {
        var inner = services.Last(d => d.ServiceType == typeof(TService) && Equals(d.ServiceKey, key));
        services.Remove(inner);
        if (key is null)
        {
            services.AddSingleton(provider => wrap(provider, (TService)(inner.ImplementationInstance ?? inner.ImplementationFactory!(provider))));
        }
        else
        {
            services.AddKeyedSingleton(key, (provider, k) => wrap(provider, (TService)inner.KeyedImplementationFactory!(provider, k)));
        }
    }

    public IAgentGrain Agent(string id) => Grains.GetGrain<IAgentGrain>(id);

    public ICallGrain Call(string id) => Grains.GetGrain<ICallGrain>(id);

    public IQueueGrain Queue(string id) => Grains.GetGrain<IQueueGrain>(id);

    public IAdapterGrain AdapterGrain(string id = Adapter) => Grains.GetGrain<IAdapterGrain>(id);

    public ICenterGrain Center => Grains.GetGrain<ICenterGrain>(ICenterGrain.Key);

    public IFiguresGrain Figures => Grains.GetGrain<IFiguresGrain>(IFiguresGrain.Key);

    /// <summary>Waits until no grain call is in flight and no fired timer is still to tick: every one-way message has been handled.</summary>
    public Task SettleAsync() => _quiescence.WaitAsync();

    /// <summary>Moves the virtual clock forward one second at a time, letting the silo settle after each step.</summary>
    public Task AdvanceAsync(TimeSpan amount) => _quiescence.AdvanceAsync(amount);

    /// <summary>How many grains are active on the silos now (once pending deactivations have finished).</summary>
    public async Task<int> ActivationCountAsync()
    {
        await SettleAsync();
        return await Grains.GetGrain<IManagementGrain>(0).GetTotalActivationCount();
    }

    /// <summary>An agent logged in at user/{id} and ready.</summary>
    public async Task<AgentStatus> ReadyAsync(string agentId)
    {
        await Agent(agentId).LoginAsync(new AgentLogin($"user/{agentId}"));
        var status = await Agent(agentId).SetReadyAsync();
        await SettleAsync();
        return status;
    }

    /// <summary>Offers a call from the test adapter; the call id is the external id.</summary>
    public async Task<OfferCallResult> OfferAsync(string callId, string queue = "billing", string caller = "+100", Action<CallOfferBuilder>? build = null)
    {
        var builder = new CallOfferBuilder(new CallOffer(Adapter, callId, caller, queue));
        build?.Invoke(builder);
        var result = await Call(callId).OfferAsync(builder.Offer);
        await SettleAsync();
        return result;
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        try
        {
            // What the test started finishes first; a silo whose store "crashed" may hold calls that never will.
            await _quiescence.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }

        await _cluster.StopAllSilosAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _cluster.DisposeAsync();
        _quiescence.Dispose();
    }
}

/// <summary>Changes a test's call offer in place.</summary>
internal sealed class CallOfferBuilder(CallOffer offer)
{
    public CallOffer Offer { get; set; } = offer;
}
