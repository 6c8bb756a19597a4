using Orleans.Dashboard;
using Switchboard.Gateway.Hosting;
using Switchboard.Silo.Demo;

namespace Switchboard.Silo.Hosting;

/// <summary>
/// The silo's composition, shared by the executable and the tests that host a silo in-process: runtime and
/// store, routing, gateway, telemetry, the two Kestrel endpoints, and the demo when asked for.
/// </summary>
public static class SiloApplication
{
    /// <summary>
    /// Builds the silo from command-line <paramref name="args"/> (short flags allowed). Throws
    /// <see cref="ArgumentException"/> naming the setting for a bad configuration.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        // Configuration files are read once: reloading them on change means watching the working directory and
        // every folder beneath it, where the embedded store writes (a wake-up per commit), for settings the silo
        // reads at start only.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. SiloCommandLine.Normalize(args), "--hostBuilder:reloadConfigOnChange", "false"],
        });
        // Start-up failures are reported once, by the caller, without the host's stack trace; requests are not
        // logged one by one. The hosting layer's request log is off altogether: while any level of it is enabled,
        // ASP.NET Core starts an Activity and a logging scope for every request (a few hundred bytes and an
        // execution-context copy per gRPC call) whether or not anything traces; the gateway starts its own
        // activities, from the adapter's traceparent, when a tracer listens.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // grpc-dotnet logs every stream a client ends (an adapter hanging up, a dropped connection) at Information with
        // the exception's stack: normal traffic, not news. Its warnings and errors still show.
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        customize?.Invoke(builder);

        // Telemetry first: its meter provider starts before the silo, so it hears what the grains record at start-up.
        builder.Services.AddSiloTelemetry(builder.Configuration);
        var store = Store(builder.Configuration);
        builder.AddSwitchboardSiloHost(store);
        // Last stage: the demo's simulated adapter and agents start once the gateway serves and stop before it drains.
        builder.Services.AddOptions<DemoOptions>().Bind(builder.Configuration.GetSection(DemoOptions.SectionName));
        builder.Services.AddHostedService<DemoTraffic>();
        var gateway = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureSiloEndpoints(gateway));

        var app = builder.Build();
        // gRPC-Web on every switchboard.v1 service (the HTTP/1.1 port), so a browser wallboard needs no proxy.
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        // The API key is checked before a call's message is read (ApiKeyAuthenticationHandler).
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapSwitchboardGateway();
        app.MapSiloMetrics();
        if (builder.Configuration.GetSection(SiloOptions.SectionName).Get<SiloOptions>() is { Dashboard: true })
        {
            // Opt-in, on the HTTP port only: the dashboard shows the cluster's grains and silos to whoever reaches it.
            app.MapOrleansDashboard(routePrefix: "/dashboard").RequireHost($"*:{gateway.HttpPort}");
        }
        return app;
    }

    internal static StoreSelection Store(IConfiguration configuration) =>
        configuration.GetSection(StoreSelection.SectionName).Get<StoreSelection>() ?? new StoreSelection();
}
