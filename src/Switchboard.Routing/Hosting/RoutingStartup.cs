using Switchboard.Routing.Telemetry;
using Microsoft.Extensions.Options;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Figures;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Hosting;

/// <summary>
/// The routing start-up stage, once the silo is active (<see cref="ServiceLifecycleStage.Active"/>, before the gateway
/// opens): loads the center configuration from the center grain into this silo's <see cref="CenterDirectory"/> and keeps
/// it current (<see cref="CenterSync"/>), then
/// wakes every configured queue and agent so that waiting calls are served and timers re-armed after a restart,
/// without any client calling them.
/// </summary>
internal sealed class RoutingStartup(IGrainFactory grains, CenterDirectory directory, CenterSync center, IOptions<RoutingOptions> options) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RoutingStartup), ServiceLifecycleStage.Active, StartAsync, async _ => await center.DisposeAsync());

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await center.StartAsync();
        // Every configured queue's series exist from start-up, at zero on an idle silo.
        RoutingTelemetry.ShowQueues(directory.Configuration.QueuesById.Keys);
        if (!options.Value.ActivateAllOnStart)
        {
            return;
        }

        var configuration = directory.Configuration;
        await Task.WhenAll(configuration.Queues.Select(q => grains.GetGrain<IQueueRouting>(q.QueueId).WakeAsync()));
        await Task.WhenAll(configuration.Agents.Select(a => grains.GetGrain<IAgentGrain>(a.AgentId).GetStatusAsync()));
        await grains.GetGrain<IFiguresGrain>(IFiguresGrain.Key).GetLiveAsync(FigureScope.Center, TimeSpan.FromMinutes(15));
    }
}
