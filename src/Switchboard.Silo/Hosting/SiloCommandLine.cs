namespace Switchboard.Silo.Hosting;

/// <summary>Short command-line flags mapped onto configuration keys.</summary>
internal static class SiloCommandLine
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["--data-dir"] = "--Switchboard:Store:DataDirectory",
        ["--store"] = "--Switchboard:Store:Provider",
        ["--postgres"] = "--Switchboard:Store:ConnectionString",
        ["--grpc-port"] = "--Switchboard:Gateway:GrpcPort",
        ["--http-port"] = "--Switchboard:Gateway:HttpPort",
        ["--silo-port"] = "--Switchboard:Silo:SiloPort",
        ["--gateway-port"] = "--Switchboard:Silo:GatewayPort",
        ["--cluster-id"] = "--Switchboard:Silo:ClusterId",
        ["--advertised-address"] = "--Switchboard:Silo:AdvertisedAddress",
        ["--center-file"] = "--Switchboard:Routing:CenterFile",
    };

    // Switches without a value, and the configuration key each sets to true (the configuration binder needs a value).
    private static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--demo"] = "--Switchboard:Demo:Enabled",
        ["--dashboard"] = "--Switchboard:Silo:Dashboard",
    };

    internal static string[] Normalize(string[] args)
    {
        var result = new List<string>(args.Length + 2);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--postgres" && i + 1 < args.Length)
            {
                result.Add("--Switchboard:Store:Provider");
                result.Add("postgres");
            }
            if (Switches.TryGetValue(args[i], out var key))
            {
                result.Add(key);
                result.Add("true");
                continue;
            }
            result.Add(Aliases.GetValueOrDefault(args[i], args[i]));
        }
        return [.. result];
    }
}
