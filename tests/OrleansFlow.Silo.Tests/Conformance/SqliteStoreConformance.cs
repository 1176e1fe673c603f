using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Conformance;

/// <summary>The conformance suite on SQLite: a fresh file per test; a second node is a second silo on the same file
/// (as the server and an ephemeral SDK process share <c>~/.orleansflow/orleansflow.db</c>).</summary>
public sealed class SqliteStoreConformance : StoreConformance
{
    private readonly SqliteFiles _files = new();

    protected override SqlDialect Dialect => SqlDialect.Sqlite;

    protected override Task<DatabaseOptions> NewDatabaseAsync() => Task.FromResult(_files.NewDatabase());

    protected override ValueTask DisposeDatabasesAsync()
    {
        _files.Dispose();
        return ValueTask.CompletedTask;
    }
}
