namespace Switchboard.Grpc.Server;

/// <summary>The services mapped on this server: for UNIMPLEMENTED details and server reflection.</summary>
internal sealed class GrpcServiceRegistry
{
    private readonly object _gate = new();
    private volatile GrpcServiceDefinition[] _services = [];

    public IReadOnlyList<GrpcServiceDefinition> Services => _services;

    public void Add(GrpcServiceDefinition definition)
    {
        lock (_gate)
        {
            foreach (var existing in _services)
            {
                if (existing.ServiceName == definition.ServiceName)
                {
                    throw new InvalidOperationException($"gRPC service '{definition.ServiceName}' is mapped twice.");
                }
            }

            _services = [.. _services, definition];
        }
    }

    public bool IsKnownService(string serviceName)
    {
        foreach (var service in _services)
        {
            if (service.ServiceName == serviceName)
            {
                return true;
            }
        }

        return false;
    }
}
