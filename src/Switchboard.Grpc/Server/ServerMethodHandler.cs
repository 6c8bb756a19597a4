using Microsoft.AspNetCore.Http;

namespace Switchboard.Grpc.Server;

/// <summary>One method of a service: validates and runs each call, and always ends it with a status.</summary>
internal abstract class ServerMethodHandler(string serviceName, string name, MethodType type)
{
    public string ServiceName { get; } = serviceName;

    public string Name { get; } = name;

    public MethodType Type { get; } = type;

    public string FullName { get; } = $"/{serviceName}/{name}";

    public async Task HandleAsync(HttpContext http, GrpcServerRuntime runtime)
    {
        var call = new HttpServerCallContext(http, FullName, runtime);
        try
        {
            if (!call.TryStart())
            {
                return;
            }

            Exception? error = null;
            try
            {
                await HandleCallAsync(call);
            }
            catch (Exception ex)
            {
                error = ex;
            }

            await call.EndCallAsync(error);
        }
        finally
        {
            call.Dispose();
        }
    }

    protected abstract Task HandleCallAsync(HttpServerCallContext call);
}
