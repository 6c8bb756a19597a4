namespace Switchboard.Actors.Storage;

/// <summary>Reads a provider's schema script, embedded from <c>Storage/**/*.sql</c> beside its code.</summary>
internal static class StoreSchema
{
    public static string Load(string provider)
    {
        var assembly = typeof(StoreSchema).Assembly;
        var suffix = $".Storage.{provider}.schema.sql";
        var resource = Array.Find(assembly.GetManifestResourceNames(), name => name.EndsWith(suffix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The {provider} schema script (resource *{suffix}) is not embedded in {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
