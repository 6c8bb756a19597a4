namespace Switchboard.Actors.Storage;

/// <summary>A store that cannot be reached or set up; the message names the store and its connection.</summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(string storeName, string connection, Exception inner)
        : base($"Store '{storeName}' could not be reached at {connection}: {inner.Message}", inner)
    {
        StoreName = storeName;
        Connection = connection;
    }

    public string StoreName { get; }

    /// <summary>The connection target with any password removed.</summary>
    public string Connection { get; }
}
