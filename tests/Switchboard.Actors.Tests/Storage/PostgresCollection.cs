namespace Switchboard.Actors.Tests.Storage;

/// <summary>Tests that share the private PostgreSQL server of <see cref="PostgresFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
