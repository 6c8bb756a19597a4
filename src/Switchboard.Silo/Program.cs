using Microsoft.Extensions.Options;
using Switchboard.Actors;
using Switchboard.Actors.Storage;
using Switchboard.Silo.Hosting;

// The Switchboard silo: `dotnet run --project src/Switchboard.Silo` runs one with an embedded SQLite store
// in ./data, gRPC on port 5000 and HTTP (health, metrics) on 8080. See README.md for the options.
WebApplication app;
try
{
    app = SiloApplication.Build(args);
}
catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or FormatException)
{
    Console.Error.WriteLine($"Switchboard silo: bad configuration: {exception.Message}");
    return 2;
}

await using (app)
{
    var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard.Silo");
    try
    {
        SiloLog.Starting(log, SiloApplication.Store(app.Configuration).Describe());
        await app.StartAsync();
    }
    catch (Exception exception) when (exception is StoreUnavailableException or OptionsValidationException or StateSerializationException or ArgumentException)
    {
        SiloLog.StartFailed(log, exception.Message);
        return 2;
    }
    catch (IOException exception)
    {
        // Kestrel could not bind: its message names the address and port.
        SiloLog.StartFailed(log, $"{exception.Message} (change the ports with --grpc-port and --http-port)");
        return 2;
    }
    if (app.Services.GetService<SiloTelemetryProviders>() is { } telemetry)
    {
        SiloLog.ExportingTelemetry(log, telemetry.Endpoint);
    }
    SiloLog.Started(log);
    await app.WaitForShutdownAsync();
    return 0;
}
