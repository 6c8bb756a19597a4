using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchboard.Actors.Hosting;

namespace Switchboard.LoadTests.Hosting;

/// <summary>
/// A silo in this process, started and stopped as the generic host does (starting, start, started; stopping,
/// stop in reverse, stopped), without the host's console lifetime and configuration.
/// </summary>
internal sealed class InProcessSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IHostedService[] _hosted;
    private bool _started;

    private InProcessSilo(ServiceProvider services)
    {
        _services = services;
        _hosted = [.. services.GetServices<IHostedService>()];
    }

    public IServiceProvider Services => _services;

    public static async Task<InProcessSilo> StartAsync(Action<IServiceCollection> configure)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        configure(collection);
        var silo = new InProcessSilo(collection.BuildServiceProvider());
        try
        {
            silo._started = true;
            foreach (var service in silo._hosted.OfType<IHostedLifecycleService>())
            {
                await service.StartingAsync(CancellationToken.None).ConfigureAwait(false);
            }

            foreach (var service in silo._hosted)
            {
                await service.StartAsync(CancellationToken.None).ConfigureAwait(false);
            }

            foreach (var service in silo._hosted.OfType<IHostedLifecycleService>())
            {
                await service.StartedAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch
        {
            await silo.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return silo;
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            _started = false;
            var reversed = _hosted.Reverse().ToArray();
            foreach (var service in reversed.OfType<IHostedLifecycleService>())
            {
                await service.StoppingAsync(CancellationToken.None).ConfigureAwait(false);
            }

            foreach (var service in reversed)
            {
                await service.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

            foreach (var service in reversed.OfType<IHostedLifecycleService>())
            {
                await service.StoppedAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        await _services.DisposeAsync().ConfigureAwait(false);
    }
}
