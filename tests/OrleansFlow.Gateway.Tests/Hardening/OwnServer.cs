using OrleansFlow.Gateway.Tests.Infrastructure;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Gateway.Tests.Hardening;

/// <summary>A server of one test's own (background loops off, the test runs the ticks) on a fresh SQLite file or
/// PostgreSQL database, for tests that change the database under it.</summary>
internal sealed class OwnServer : IAsyncDisposable
{
    private readonly IAsyncDisposable? _postgres;
    private readonly SqliteFiles? _files;
    private readonly HttpClient _client;

    private OwnServer(InProcessServer server, DatabaseOptions database, PostgresTestDatabase? postgres, SqliteFiles? files)
    {
        Inner = server;
        Database = database;
        Postgres = postgres;
        _postgres = postgres;
        _files = files;
        _client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public InProcessServer Inner { get; }

    public DatabaseOptions Database { get; }

    /// <summary>The PostgreSQL database, when the server runs on one.</summary>
    public PostgresTestDatabase? Postgres { get; }

    public OrleansFlowSilo Silo => Inner.Silo;

    public PrefectApi Api => new(_client);

    public static async Task<OwnServer> StartAsync(DatabaseKind kind, TimeProvider? clock = null, Action<ServerOptions>? configure = null)
    {
        SqliteFiles? files = null;
        PostgresTestDatabase? postgres = null;
        DatabaseOptions database;
        if (kind == DatabaseKind.Sqlite)
        {
            files = new SqliteFiles();
            database = files.NewDatabase();
        }
        else
        {
            postgres = await PostgresServer.CreateDatabaseAsync();
            database = postgres.Options();
        }

        try
        {
            var server = await InProcessServer.StartAsync(database, clock, options =>
            {
                options.BackgroundProcesses = false;
                configure?.Invoke(options);
            });
            return new OwnServer(server, database, postgres, files);
        }
        catch
        {
            files?.Dispose();
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        try
        {
            await Inner.DisposeAsync();
        }
        finally
        {
            _files?.Dispose();
            if (_postgres is not null)
            {
                await _postgres.DisposeAsync();
            }
        }
    }
}
