using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Orleans.Runtime;
using Switchboard.Silo.Storage.Postgres;
using Switchboard.Silo.Storage.Sqlite;

namespace Switchboard.Silo.Hosting;

/// <summary>Ready while this silo is an active member of its cluster (not joining, not shutting down, not declared dead).</summary>
internal sealed class SiloActiveCheck(ISiloStatusOracle membership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentStatus;
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("the silo is active in its cluster")
            : HealthCheckResult.Unhealthy($"the silo is {status.ToString().ToLowerInvariant()}, not active"));
    }
}

/// <summary>Ready while the store answers a query: the embedded SQLite file or the PostgreSQL server.</summary>
internal sealed class StoreAnswersCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (services.GetService<SqliteStore>() is { } sqlite)
            {
                sqlite.GetLastSequence("switchboard.health");
                return HealthCheckResult.Healthy($"the store answers ({sqlite.Path})");
            }
            if (services.GetService<PostgresConnection>() is { } postgres)
            {
                await using var connection = new NpgsqlConnection(postgres.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy($"the store answers ({postgres.Target})");
            }
            return HealthCheckResult.Healthy("the store is in memory");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"the store does not answer: {exception.Message}");
        }
    }
}
