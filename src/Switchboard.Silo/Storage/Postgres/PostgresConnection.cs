using System.Data.Common;
using Npgsql;

namespace Switchboard.Silo.Storage.Postgres;

/// <summary>The connection string every PostgreSQL part of the store uses, with the store's timeouts, and its target for messages.</summary>
internal sealed class PostgresConnection
{
    public PostgresConnection(PostgresStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("Store 'postgres': the connection string is required (--postgres \"Host=...;Database=...;Username=...\").", nameof(options));
        }
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException($"Store 'postgres': the connection string is not valid: {error.Message}", nameof(options), error);
        }
        var given = new DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
        if (!given.ContainsKey("Timeout") && !given.ContainsKey("Connect Timeout") && !given.ContainsKey("Connection Timeout"))
        {
            builder.Timeout = Math.Max(1, (int)Math.Ceiling(options.ConnectTimeout.TotalSeconds));
        }
        if (!given.ContainsKey("Command Timeout") && !given.ContainsKey("CommandTimeout"))
        {
            builder.CommandTimeout = Math.Max(1, (int)Math.Ceiling(options.CommandTimeout.TotalSeconds));
        }
        builder.ApplicationName ??= "switchboard-silo";
        ConnectionString = builder.ConnectionString;
        Target = $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    public string ConnectionString { get; }

    /// <summary>Where the store connects, without credentials: <c>host:port/database</c>.</summary>
    public string Target { get; }

    /// <summary>Whether an error means the database could not be reached (worth another attempt), not a refusal.</summary>
    public static bool IsUnreachable(Exception error) =>
        error is NpgsqlException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException or IOException
        || error is NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or TimeoutException };
}
