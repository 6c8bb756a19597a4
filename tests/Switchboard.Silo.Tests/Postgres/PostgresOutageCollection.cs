namespace Switchboard.Silo.Tests.Postgres;

/// <summary>Tests that stop their own PostgreSQL server mid-run: they run one at a time, apart from the others.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresOutageCollection
{
    public const string Name = "PostgreSQL outage";
}
