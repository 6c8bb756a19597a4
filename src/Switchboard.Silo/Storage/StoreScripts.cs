namespace Switchboard.Silo.Storage;

/// <summary>Reads a store's SQL script, embedded from <c>Storage/**/*.sql</c> beside the code that runs it.</summary>
internal static class StoreScripts
{
    public static string Load(string fileName)
    {
        var assembly = typeof(StoreScripts).Assembly;
        var suffix = "." + fileName;
        var resource = Array.Find(assembly.GetManifestResourceNames(), name => name.EndsWith(suffix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The SQL script {fileName} is not embedded in {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
