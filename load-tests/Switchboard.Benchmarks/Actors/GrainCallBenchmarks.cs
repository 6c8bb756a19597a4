using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchboard.Actors;
using Switchboard.Actors.Activation;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Invocation;

namespace Switchboard.Benchmarks.Actors;

public interface IBenchCounterGrain : IGrainWithStringKey
{
    Task<int> Increment();
}

public sealed class BenchCounterGrain : Grain, IBenchCounterGrain
{
    private int _count;

    public Task<int> Increment() => Task.FromResult(++_count);
}

/// <summary>
/// A local call on an active grain, next to its ideals measured in the same run: a direct interface call on a
/// plain object, and a minimal actor on a <see cref="Channel{T}"/> (one reader loop, one TaskCompletionSource per call).
/// "HandWrittenProxy" is what a source generator would emit (no DispatchProxy, no MethodInfo lookup).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GrainCallBenchmarks
{
    private ServiceProvider _services = null!;
    private IBenchCounterGrain _grain = null!;
    private IBenchCounterGrain _direct = null!;
    private IBenchCounterGrain _handWritten = null!;
    private ChannelActor _channelActor = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _services = BenchSilo.Create();
        await BenchSilo.StartAsync(_services);
        var factory = _services.GetRequiredService<IGrainFactory>();
        _grain = factory.GetGrain<IBenchCounterGrain>("bench");
        await _grain.Increment();
        _handWritten = new HandWrittenProxy((GrainReference)_grain);
        _direct = new PlainCounter();
        _channelActor = new ChannelActor();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await BenchSilo.StopAsync(_services);
        _channelActor.Dispose();
    }

    [Benchmark(Baseline = true, Description = "direct interface call")]
    public Task<int> DirectCall() => _direct.Increment();

    [Benchmark(Description = "Channel<T> actor call")]
    public Task<int> ChannelActorCall() => _channelActor.Increment();

    [Benchmark(Description = "grain call (DispatchProxy)")]
    public Task<int> GrainCall() => _grain.Increment();

    [Benchmark(Description = "grain call (hand-written proxy)")]
    public Task<int> HandWrittenProxyCall() => _handWritten.Increment();

    private sealed class PlainCounter : IBenchCounterGrain
    {
        private int _count;

        public Task<int> Increment() => Task.FromResult(Interlocked.Increment(ref _count));
    }

    private sealed class HandWrittenProxy : IBenchCounterGrain
    {
        private readonly GrainReference _reference;
        private readonly GrainMethod _increment;

        public HandWrittenProxy(GrainReference reference)
        {
            _reference = reference;
            var info = reference.Runtime.Types.GetInterface(typeof(IBenchCounterGrain));
            _increment = info.GetMethod(typeof(IBenchCounterGrain).GetMethod(nameof(Increment))!);
        }

        public Task<int> Increment() => (Task<int>)_increment.Send(_reference, []);
    }
}

/// <summary>The simplest actor: a channel of requests drained by one loop.</summary>
internal sealed class ChannelActor : IDisposable
{
    private readonly Channel<TaskCompletionSource<int>> _mailbox = Channel.CreateUnbounded<TaskCompletionSource<int>>(new UnboundedChannelOptions { SingleReader = true });
    private int _count;

    public ChannelActor() => _ = Task.Run(RunAsync);

    public Task<int> Increment()
    {
        var request = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _mailbox.Writer.TryWrite(request);
        return request.Task;
    }

    private async Task RunAsync()
    {
        while (await _mailbox.Reader.WaitToReadAsync())
        {
            while (_mailbox.Reader.TryRead(out var request))
            {
                request.SetResult(++_count);
            }
        }
    }

    public void Dispose() => _mailbox.Writer.TryComplete();
}

/// <summary>A silo with no store, for runtime benchmarks.</summary>
internal static class BenchSilo
{
    public static ServiceProvider Create()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSwitchboardSilo(silo => silo.AddGrains(typeof(BenchSilo).Assembly));
        return services.BuildServiceProvider();
    }

    public static async Task StartAsync(IServiceProvider services)
    {
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
    }

    public static async Task StopAsync(ServiceProvider services)
    {
        foreach (var hosted in services.GetServices<IHostedService>().Reverse())
        {
            await hosted.StopAsync(CancellationToken.None);
        }
        await services.DisposeAsync();
    }
}
