namespace OrleansFlow.Gateway.Tests.Infrastructure;

/// <summary>A live server over a database of its own; disposing stops the server and drops the database.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly Action<ServerOptions>? _configure;
    private LiveServer _server;

    private TestServer(TestDatabase database, LiveServer server, Action<ServerOptions>? configure)
    {
        _database = database;
        _server = server;
        _configure = configure;
    }

    public DatabaseKind Kind => _database.Kind;

    public PrefectApi Api => new(_server.Client);

    public HttpClient Client => _server.Client;

    public static async Task<TestServer> StartAsync(DatabaseKind kind, Action<ServerOptions>? configure = null)
    {
        var database = await TestDatabase.CreateAsync(kind);
        try
        {
            return new TestServer(database, await LiveServer.StartAsync(database.Url, configure), configure);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server and starts a new one on the same database (a process restart, minus the process).</summary>
    public async Task RestartAsync()
    {
        await _server.DisposeAsync();
        _server = await LiveServer.StartAsync(_database.Url, _configure);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _database.DisposeAsync();
    }
}
