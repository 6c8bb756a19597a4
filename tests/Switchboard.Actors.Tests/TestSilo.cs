using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchboard.Actors;
using Switchboard.Actors.Hosting;

namespace Switchboard.Actors.Tests;

/// <summary>A silo in the test process: the real runtime in a real service container, started and stopped as a host does.</summary>
internal sealed class TestSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IHostedService[] _hosted;
    private bool _stopped;

    private TestSilo(ServiceProvider services)
    {
        _services = services;
        _hosted = services.GetServices<IHostedService>().ToArray();
    }

    public IServiceProvider Services => _services;

    public IGrainFactory Grains => _services.GetRequiredService<IGrainFactory>();

    public static async Task<TestSilo> StartAsync(Action<ISiloBuilder>? configure = null, Action<IServiceCollection>? services = null, Action<SiloOptions>? options = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        services?.Invoke(collection);
        collection.AddSwitchboardSilo(silo =>
        {
            silo.AddGrains(typeof(TestSilo).Assembly);
            configure?.Invoke(silo);
        });
        if (options is not null)
        {
            collection.Configure(options);
        }
        var silo = new TestSilo(collection.BuildServiceProvider());
        foreach (var hosted in silo._hosted)
        {
            await hosted.StartAsync(CancellationToken.None);
        }
        return silo;
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
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
