using Microsoft.Extensions.Options;
using Switchboard.Actors;
using Switchboard.Actors.Storage;
using Switchboard.Silo.Hosting;

// The Switchboard silo: `dotnet run --project src/Switchboard.Silo` runs one with an embedded SQLite store
// in ./data. See README.md for the options.
var builder = Host.CreateApplicationBuilder(SiloCommandLine.Normalize(args));
// Start-up failures are reported once, below, without the host's stack trace.
builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss ";
});
var storeOptions = builder.Configuration.GetSection(StoreSelection.SectionName).Get<StoreSelection>() ?? new StoreSelection();
try
{
    builder.Services.AddSwitchboardSiloHost(builder.Configuration, storeOptions);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine($"Switchboard silo: bad configuration: {exception.Message}");
    return 2;
}

using var host = builder.Build();
var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard.Silo");
try
{
    SiloLog.Starting(log, storeOptions.Describe());
    await host.StartAsync();
}
catch (Exception exception) when (exception is StoreUnavailableException or OptionsValidationException or StateSerializationException)
{
    SiloLog.StartFailed(log, exception.Message);
    return 2;
}
SiloLog.Started(log);
await host.WaitForShutdownAsync();
return 0;
