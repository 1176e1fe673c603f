namespace OrleansFlow.Gateway.Tests.Infrastructure;

/// <summary>One live server per database kind for a test class, each started on first use (so a class whose PostgreSQL
/// cases are filtered out never starts PostgreSQL). Tests in a class run one at a time; they still use fresh names and
/// filter by their own ids, so their order does not matter.</summary>
public sealed class ServerPool : IAsyncDisposable, IAsyncLifetime
{
    private readonly Dictionary<DatabaseKind, Task<TestServer>> _servers = [];
    private readonly Lock _lock = new();

    internal Task<TestServer> ServerAsync(DatabaseKind kind)
    {
        lock (_lock)
        {
            if (!_servers.TryGetValue(kind, out var server))
            {
                server = TestServer.StartAsync(kind);
                _servers[kind] = server;
            }

            return server;
        }
    }

    internal async Task<PrefectApi> ApiAsync(DatabaseKind kind) => (await ServerAsync(kind)).Api;

    public Task InitializeAsync() => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            if (server.IsCompletedSuccessfully)
            {
                await server.Result.DisposeAsync();
            }
        }
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
