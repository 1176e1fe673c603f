using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Testing;

namespace OrleansFlow.Cli.Tests;

/// <summary>A real server (scheduler off) on a fresh SQLite file or PostgreSQL database.</summary>
internal sealed class DeployServer : IAsyncDisposable
{
    private readonly InProcessServer _server;
    private readonly PostgresTestDatabase? _database;
    private readonly HttpClient _http;

    private DeployServer(InProcessServer server, PostgresTestDatabase? database)
    {
        _server = server;
        _database = database;
        _http = server.CreateClient();
    }

    public string ApiUrl => _server.ApiUrl;

    public static async Task<DeployServer> StartAsync(bool postgres)
    {
        var database = postgres ? await PostgresServer.CreateDatabaseAsync() : null;
        return new(await InProcessServer.StartAsync(database?.Options(), configure: o => o.BackgroundProcesses = false), database);
    }

    public async Task<JsonNode> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<JsonNode> PostAsync(string path, object body)
    {
        using var response = await _http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
