using System.Threading.Channels;
using Grpc.Health.V1;
using Microsoft.Extensions.Hosting;
using Switchboard.Grpc.Server;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Switchboard.Grpc.Health;

/// <summary>
/// The serving status per service that <c>grpc.health.v1.Health</c> reports. The host sets it
/// (<see cref="SetStatus"/>) as components start and stop; the empty name stands for the whole server
/// and starts as SERVING. When the application starts stopping, every status turns NOT_SERVING (so load
/// balancers drain the silo) and Watch streams end. Serve it with <c>endpoints.MapGrpcHealthService()</c>.
/// </summary>
public sealed class GrpcHealthService
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal) { [string.Empty] = ServingStatus.Serving };
    private readonly Dictionary<string, List<Channel<ServingStatus>>> _watchers = new(StringComparer.Ordinal);
    private bool _shuttingDown;

    /// <summary>Creates the status table; with a <paramref name="lifetime"/>, it follows the application's shutdown.</summary>
    public GrpcHealthService(IHostApplicationLifetime? lifetime = null)
    {
        lifetime?.ApplicationStopping.Register(static state => ((GrpcHealthService)state!).EnterShutdown(), this);
    }

    /// <summary>
    /// Sets the status of <paramref name="service"/> (empty = the whole server) and tells its watchers.
    /// Ignored once shutdown has begun: a stopping server never reports SERVING again.
    /// </summary>
    public void SetStatus(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            _statuses[service] = status;
            Notify(service, status);
        }
    }

    /// <summary>Turns every status NOT_SERVING, tells the watchers, and ends their streams.</summary>
    public void EnterShutdown()
    {
        lock (_gate)
        {
            _shuttingDown = true;
            foreach (var service in _statuses.Keys.ToList())
            {
                _statuses[service] = ServingStatus.NotServing;
                Notify(service, ServingStatus.NotServing);
            }

            foreach (var list in _watchers.Values)
            {
                foreach (var watcher in list)
                {
                    watcher.Writer.TryComplete();
                }
            }
        }
    }

    /// <summary>Forgets <paramref name="service"/>: Check answers NOT_FOUND, watchers see SERVICE_UNKNOWN.</summary>
    public void ClearStatus(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_gate)
        {
            if (_statuses.Remove(service))
            {
                Notify(service, ServingStatus.ServiceUnknown);
            }
        }
    }

    /// <summary>The status of <paramref name="service"/>, if one was set.</summary>
    public bool TryGetStatus(string service, out ServingStatus status)
    {
        lock (_gate)
        {
            return _statuses.TryGetValue(service, out status);
        }
    }

    /// <summary>Builds the <c>grpc.health.v1.Health</c> service over this status table.</summary>
    public GrpcServiceDefinition CreateDefinition() =>
        GrpcServiceDefinition.CreateBuilder(HealthReflection.Descriptor.Services[0])
            .AddUnaryMethod<HealthCheckRequest, HealthCheckResponse>("Check", HealthCheckRequest.Parser, CheckAsync)
            .AddServerStreamingMethod<HealthCheckRequest, HealthCheckResponse>("Watch", HealthCheckRequest.Parser, WatchAsync)
            .Build();

    private Task<HealthCheckResponse> CheckAsync(HealthCheckRequest request, ServerCallContext context)
    {
        if (!TryGetStatus(request.Service, out var status))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"Unknown service '{request.Service}'."));
        }

        return Task.FromResult(new HealthCheckResponse { Status = status });
    }

    private async Task WatchAsync(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responses, ServerCallContext context)
    {
        // Latest wins: a slow watcher sees the newest status, never an unbounded backlog.
        var changes = Channel.CreateBounded<ServingStatus>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        ServingStatus current;
        lock (_gate)
        {
            current = _statuses.TryGetValue(request.Service, out var known) ? known : ServingStatus.ServiceUnknown;
            if (_shuttingDown)
            {
                changes.Writer.TryComplete();
            }
            else
            {
                if (!_watchers.TryGetValue(request.Service, out var list))
                {
                    _watchers[request.Service] = list = [];
                }

                list.Add(changes);
            }
        }

        try
        {
            await responses.WriteAsync(new HealthCheckResponse { Status = current }, context.CancellationToken);
            var last = current;
            while (await changes.Reader.WaitToReadAsync(context.CancellationToken))
            {
                while (changes.Reader.TryRead(out var next))
                {
                    if (next != last)
                    {
                        last = next;
                        await responses.WriteAsync(new HealthCheckResponse { Status = next }, context.CancellationToken);
                    }
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                if (_watchers.TryGetValue(request.Service, out var list))
                {
                    list.Remove(changes);
                    if (list.Count == 0)
                    {
                        _watchers.Remove(request.Service);
                    }
                }
            }
        }
    }

    private void Notify(string service, ServingStatus status)
    {
        if (_watchers.TryGetValue(service, out var list))
        {
            foreach (var watcher in list)
            {
                watcher.Writer.TryWrite(status);
            }
        }
    }
}
