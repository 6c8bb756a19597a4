using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard.Actors;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Figures;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Hosting;

/// <summary>
/// The routing start-up stage, after the silo's (it runs in <see cref="StartedAsync"/>, once every hosted service,
/// the silo with its stores included, has started, because AddRouting is called before the silo's own service is
/// registered): loads the center configuration into the center grain, then wakes
/// every configured queue and agent so waiting calls are served and timers re-armed after a restart.
/// </summary>
internal sealed class RoutingStartup(IGrainFactory grains, CenterDirectory directory, IOptions<RoutingOptions> options) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        await grains.GetGrain<ICenterGrain>(ICenterGrain.Key).GetAsync();
        if (!options.Value.ActivateAllOnStart)
        {
            return;
        }

        var configuration = directory.Configuration;
        await Task.WhenAll(configuration.Queues.Select(q => grains.GetGrain<IQueueRouting>(q.QueueId).WakeAsync()));
        await Task.WhenAll(configuration.Agents.Select(a => grains.GetGrain<IAgentGrain>(a.AgentId).GetStatusAsync()));
        await grains.GetGrain<IFiguresGrain>(IFiguresGrain.Key).GetLiveAsync(FigureScope.Center, TimeSpan.FromMinutes(15));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
