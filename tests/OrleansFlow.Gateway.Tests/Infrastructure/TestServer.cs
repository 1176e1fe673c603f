using System.Net.Http.Headers;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Gateway.Tests.Infrastructure;

/// <summary>The real OrleansFlow server (the shared <see cref="InProcessServer"/>) over a database of its own: a fresh
/// SQLite file, or a fresh database on the shared test PostgreSQL server. Disposing stops the server and deletes the
/// database.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly DatabaseOptions _database;
    private readonly Action<ServerOptions>? _configure;
    private readonly IAsyncDisposable _owner;
    private InProcessServer _server;
    private HttpClient _client;

    private TestServer(DatabaseKind kind, DatabaseOptions database, IAsyncDisposable owner, InProcessServer server, Action<ServerOptions>? configure)
    {
        Kind = kind;
        _database = database;
        _owner = owner;
        _server = server;
        _configure = configure;
        _client = CreateClient(server);
    }

    public DatabaseKind Kind { get; }

    /// <summary>A client whose base address is the server's root: paths start with <c>api/</c>.</summary>
    public HttpClient Client => _client;

    public PrefectApi Api => new(_client);

    public static async Task<TestServer> StartAsync(DatabaseKind kind, Action<ServerOptions>? configure = null)
    {
        IAsyncDisposable owner;
        DatabaseOptions database;
        if (kind == DatabaseKind.Sqlite)
        {
            var files = new SqliteFiles();
            owner = new DisposeFiles(files);
            database = files.NewDatabase();
        }
        else
        {
            var postgres = await PostgresServer.CreateDatabaseAsync();
            owner = postgres;
            database = postgres.Options();
        }

        try
        {
            return new TestServer(kind, database, owner, await InProcessServer.StartAsync(database, configure: configure), configure);
        }
        catch
        {
            await owner.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server and starts a new one on the same database: a process restart, minus the process.</summary>
    public async Task RestartAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _server = await InProcessServer.StartAsync(_database, configure: _configure);
        _client = CreateClient(_server);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        try
        {
            await _server.DisposeAsync();
        }
        finally
        {
            await _owner.DisposeAsync();
        }
    }

    private static HttpClient CreateClient(InProcessServer server)
    {
        var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        // What the Prefect 2.10.11 client sends with every call.
        client.DefaultRequestHeaders.Add("x-prefect-api-version", "0.8.4");
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    private sealed class DisposeFiles(SqliteFiles files) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            files.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
