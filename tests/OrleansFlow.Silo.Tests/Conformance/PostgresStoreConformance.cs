using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Conformance;

/// <summary>The conformance suite on PostgreSQL: a fresh database per test on the run's shared server; a second node is
/// a second silo on the same database (two servers of a cluster).</summary>
public sealed class PostgresStoreConformance : StoreConformance
{
    private readonly List<PostgresTestDatabase> _databases = [];

    protected override SqlDialect Dialect => SqlDialect.Postgres;

    protected override async Task<DatabaseOptions> NewDatabaseAsync()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        lock (_databases)
        {
            _databases.Add(database);
        }

        return database.Options();
    }

    protected override async ValueTask DisposeDatabasesAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }
}
