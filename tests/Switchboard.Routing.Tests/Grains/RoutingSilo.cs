using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchboard.Actors;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Storage;
using Switchboard.Actors.Streams;
using Switchboard.Actors.Time;
using Switchboard.Routing.Adapters;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Figures;
using Switchboard.Routing.Hosting;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>
/// A silo with the routing grains in the test process: the real runtime, the in-memory (or SQLite) store, and a
/// virtual clock that only moves when a test advances it. Modelled on the Actors tests' TestSilo.
/// </summary>
internal sealed class RoutingSilo : IAsyncDisposable
{
    public const string Adapter = "fs-1";

    private readonly ServiceProvider _services;
    private readonly IHostedService[] _hosted;
    private bool _stopped;

    private RoutingSilo(ServiceProvider services, VirtualTimeProvider clock)
    {
        _services = services;
        Clock = clock;
        _hosted = services.GetServices<IHostedService>().ToArray();
    }

    public VirtualTimeProvider Clock { get; }

    public IGrainFactory Grains => _services.GetRequiredService<IGrainFactory>();

    public IStreamProvider Streams => _services.GetRequiredService<IStreamProvider>();

    public IServiceProvider Services => _services;

    public static async Task<RoutingSilo> StartAsync(
        CenterConfiguration? center = null,
        string? sqlitePath = null,
        DateTimeOffset? start = null,
        Action<RoutingOptions>? routing = null,
        bool startedStage = true,
        Func<IGrainStore, IGrainStore>? wrapStore = null)
    {
        var clock = new VirtualTimeProvider(start ?? TestCenter.Start);
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<TimeProvider>(clock);
        collection.AddSwitchboardSilo(silo =>
        {
            if (sqlitePath is null)
            {
                silo.UseInMemoryStore();
            }
            else
            {
                silo.UseSqliteStore(sqlitePath);
            }

            silo.AddRouting(o =>
            {
                o.Center = center ?? TestCenter.Configuration;
                o.ExpireUnacknowledgedOffers = false;
                routing?.Invoke(o);
            });
        });
        if (wrapStore is not null)
        {
            // The store as the silo sees it: the real one behind the test's wrapper.
            var real = collection.Single(d => d.ServiceType == typeof(IGrainStore) && d.IsKeyedService
                && Equals(d.ServiceKey, GrainStoreServiceCollectionExtensions.DefaultStoreName));
            var create = real.KeyedImplementationFactory!;
            collection.Remove(real);
            collection.AddKeyedSingleton(real.ServiceKey, (provider, key) => wrapStore((IGrainStore)create(provider, key)));
        }

        var silo = new RoutingSilo(collection.BuildServiceProvider(), clock);
        foreach (var hosted in silo._hosted)
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        // As the generic host does: the routing stage runs once every service has started.
        foreach (var hosted in startedStage ? silo._hosted.OfType<IHostedLifecycleService>() : [])
        {
            await hosted.StartedAsync(CancellationToken.None);
        }

        await silo.SettleAsync();
        return silo;
    }

    public IAgentGrain Agent(string id) => Grains.GetGrain<IAgentGrain>(id);

    public ICallGrain Call(string id) => Grains.GetGrain<ICallGrain>(id);

    public IQueueGrain Queue(string id) => Grains.GetGrain<IQueueGrain>(id);

    public IAdapterGrain AdapterGrain(string id = Adapter) => Grains.GetGrain<IAdapterGrain>(id);

    public ICenterGrain Center => Grains.GetGrain<ICenterGrain>(ICenterGrain.Key);

    public IFiguresGrain Figures => Grains.GetGrain<IFiguresGrain>(IFiguresGrain.Key);

    /// <summary>Waits until no grain turn is queued or running: every one-way message has been handled.</summary>
    public Task SettleAsync() => _services.GetRequiredService<ISiloDiagnostics>().WaitForQuiescenceAsync();

    /// <summary>Moves the virtual clock forward one second at a time, letting the silo settle after each step.</summary>
    public async Task AdvanceAsync(TimeSpan amount)
    {
        var target = Clock.GetUtcNow() + amount;
        while (Clock.GetUtcNow() < target)
        {
            var step = target - Clock.GetUtcNow();
            Clock.Advance(step < TimeSpan.FromSeconds(1) ? step : TimeSpan.FromSeconds(1));
            await SettleAsync();
        }
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
        await SettleAsync();
        foreach (var hosted in _hosted.Reverse())
        {
            await hosted.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
    }
}

/// <summary>Changes a test's call offer in place.</summary>
internal sealed class CallOfferBuilder(CallOffer offer)
{
    public CallOffer Offer { get; set; } = offer;
}
