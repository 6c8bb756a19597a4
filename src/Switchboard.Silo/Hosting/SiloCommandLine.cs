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
            if (args[i] == "--demo")
            {
                // A switch without a value: the configuration binder needs one.
                result.Add("--Switchboard:Demo:Enabled");
                result.Add("true");
                continue;
            }
            result.Add(Aliases.GetValueOrDefault(args[i], args[i]));
        }
        return [.. result];
    }
}
