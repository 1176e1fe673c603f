using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Testing;

/// <summary>A database of its own on the test PostgreSQL server; dropped (even with connections open) on dispose.</summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    private readonly PostgresServer _server;
    private int _disposed;

    internal PostgresTestDatabase(PostgresServer server, string name)
    {
        _server = server;
        Name = name;
        Url = server.UrlFor(name);
        ConnectionString = server.ConnectionStringFor(name);
    }

    /// <summary>The database's name (<c>of_&lt;random&gt;</c>).</summary>
    public string Name { get; }

    /// <summary>Its <c>postgresql://</c> URL, as <c>ORLEANSFLOW_DATABASE_URL</c> takes it.</summary>
    public string Url { get; }

    /// <summary>Its Npgsql connection string, for checks made beside OrleansFlow.</summary>
    public string ConnectionString { get; }

    /// <summary>Options for an <c>OrleansFlowSilo</c> or a server over this database.</summary>
    /// <param name="maxPoolSize">The most connections each silo opens; default 32 (as <see cref="DatabaseOptions"/>).</param>
    public DatabaseOptions Options(int maxPoolSize = 32) => new() { DatabaseUrl = Url, MaxPoolSize = maxPoolSize };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _server.ExecuteAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", CancellationToken.None).ConfigureAwait(false);
        }
    }
}
