using Microsoft.Extensions.Logging;

namespace Switchboard.Routing.Configuration;

/// <summary>
/// Keeps this silo's <see cref="CenterDirectory"/> equal to the center grain's configuration, wherever that grain lives:
/// loaded at start-up, told of every change (<see cref="ICenterObserver"/>), and the subscription renewed every
/// <see cref="RenewEvery"/>, reloading when the version moved meanwhile (a change this silo missed, a center grain that
/// was activated again elsewhere and forgot its subscribers).
/// </summary>
internal sealed partial class CenterSync(IGrainFactory grains, CenterDirectory directory, ILogger<CenterSync> logger) : ICenterObserver, IAsyncDisposable
{
    /// <summary>How often the subscription is renewed: well within the center grain's subscription lifetime.</summary>
    internal static readonly TimeSpan RenewEvery = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource _stop = new();
    private ICenterObserver? _reference;
    private Task _renewing = Task.CompletedTask;
    private int _stopped;

    private ICenterGrain Center => grains.GetGrain<ICenterGrain>(ICenterGrain.Key);

    /// <summary>Loads the configuration, subscribes to its changes, and keeps renewing the subscription until disposed.</summary>
    public async Task StartAsync()
    {
        // The silo holds the object the reference points at: observers are referenced weakly by the runtime.
        _reference = grains.CreateObjectReference<ICenterObserver>(this);
        await SubscribeAsync();
        _renewing = RenewAsync(_stop.Token);
    }

    public Task ConfigurationChangedAsync(CenterSnapshot snapshot)
    {
        Take(snapshot);
        return Task.CompletedTask;
    }

    /// <summary>Stops renewing and lets go of the observer (once; the silo's stop and the container's disposal both ask).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _renewing;
        }
        catch (OperationCanceledException)
        {
        }

        if (_reference is not null)
        {
            grains.DeleteObjectReference<ICenterObserver>(_reference);
        }

        _stop.Dispose();
    }

    private async Task SubscribeAsync()
    {
        var version = await Center.SubscribeAsync(_reference!);
        if (version != directory.Version)
        {
            Take(await Center.GetAsync());
        }
    }

    private void Take(CenterSnapshot snapshot)
    {
        // Changes may cross: only a newer configuration replaces this silo's copy.
        if (snapshot.Version >= directory.Version)
        {
            directory.Set(snapshot.Configuration, snapshot.Version);
        }
    }

    private async Task RenewAsync(CancellationToken stop)
    {
        // Real time: the grains' clock may be virtual (tests, the simulator), and the subscription's lifetime is not.
        using var timer = new PeriodicTimer(RenewEvery, TimeProvider.System);
        while (await timer.WaitForNextTickAsync(stop))
        {
            try
            {
                await SubscribeAsync();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                RenewFailed(exception);
            }
        }
    }

    [LoggerMessage(EventId = 3510, Level = LogLevel.Warning, Message = "This silo could not renew its subscription to the center configuration; it tries again in a minute")]
    private partial void RenewFailed(Exception exception);
}
