namespace Switchboard.Silo.Storage;

/// <summary>
/// A store that cannot be reached, set up or written: at start-up (the host exits with code 2 and logs
/// <see cref="Exception.Message"/>), or a state write whose whole batch failed (disk full, database down). The message
/// names the store and its connection target, never a password. An <see cref="OrleansException"/>, so a grain's
/// <c>WriteStateAsync</c> throws it as it is rather than wrapped.
/// </summary>
[GenerateSerializer]
public sealed class StoreUnavailableException : OrleansException
{
    public StoreUnavailableException(string storeName, string connection, string reason, Exception? inner = null)
        : base($"Store '{storeName}' at {connection}: {reason}", inner!)
    {
        StoreName = storeName;
        Connection = connection;
    }

    /// <summary>The store's name (<c>sqlite</c>, <c>postgres</c>).</summary>
    [Id(0)]
    public string StoreName { get; }

    /// <summary>The connection target with any password removed: a file path, or <c>host:port/database</c>.</summary>
    [Id(1)]
    public string Connection { get; }
}
