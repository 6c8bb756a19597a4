using Microsoft.Extensions.Options;
using Switchboard.Silo.Hosting;
using Switchboard.Silo.Storage;
using Switchboard.Silo.Storage.PreviousBuild;

// The Switchboard silo: `dotnet run --project src/Switchboard.Silo` runs one Orleans silo with an embedded SQLite store
// in ./data, gRPC on port 5000 and HTTP (health, metrics) on 8080. See README.md for the options.
if (args is ["export-center", .. var exportArgs])
{
    return await ExportCenterAsync(exportArgs);
}

WebApplication app;
try
{
    app = SiloApplication.Build(args);
}
catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or FormatException or OptionsValidationException)
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
    catch (Exception exception) when (StoreStartupFailure.Find(exception) is { } store)
    {
        SiloLog.StartFailed(log, store.Message);
        return 2;
    }
    catch (Exception exception) when (exception is OptionsValidationException or ArgumentException)
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
    catch (Exception exception) when (exception.GetBaseException() is System.Net.Sockets.SocketException socket)
    {
        // Orleans could not bind its silo or gateway port.
        SiloLog.StartFailed(log, $"{socket.Message} (change the silo's ports with --silo-port and --gateway-port)");
        return 2;
    }

    if (app.Services.GetService<SiloTelemetryEndpoint>() is { } telemetry)
    {
        SiloLog.ExportingTelemetry(log, telemetry.Endpoint);
    }

    SiloLog.Started(log);
    await app.WaitForShutdownAsync();
    return 0;
}

// `export-center --data-dir DIR --out FILE`: the center configuration of a data folder the previous build wrote, as a
// center file this build loads with --center-file.
static async Task<int> ExportCenterAsync(string[] args)
{
    string? dataDir = null, outFile = null;
    for (var i = 0; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--data-dir" when i + 1 < args.Length:
                dataDir = args[++i];
                break;
            case "--out" when i + 1 < args.Length:
                outFile = args[++i];
                break;
            default:
                Console.Error.WriteLine($"export-center: unknown argument '{args[i]}'; usage: export-center --data-dir DIR --out FILE");
                return 2;
        }
    }

    if (dataDir is null || outFile is null)
    {
        Console.Error.WriteLine("export-center: usage: export-center --data-dir DIR --out FILE");
        return 2;
    }

    try
    {
        var export = await PreviousBuildData.ExportCenterAsync(Path.GetFullPath(dataDir), Path.GetFullPath(outFile));
        Console.WriteLine($"export-center: wrote {Path.GetFullPath(outFile)} ({export})");
        return 0;
    }
    catch (Exception exception) when (exception is IOException or InvalidOperationException or ArgumentException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"export-center: {exception.Message}");
        return 2;
    }
}
