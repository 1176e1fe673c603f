using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Testing;

namespace OrleansFlow.Sdk.Tests.Infrastructure;

/// <summary>A real OrleansFlow server (in-process, real HTTP, SQLite or PostgreSQL) that the flows of the calling test
/// run against (through <see cref="Flows.UseApi(string)"/>), and readers of what it recorded.</summary>
internal sealed class SdkServer : IAsyncDisposable
{
    private readonly InProcessServer _server;
    private readonly PostgresTestDatabase? _database;

    private SdkServer(InProcessServer server, PostgresTestDatabase? database)
    {
        _server = server;
        _database = database;
        Http = server.CreateClient();
    }

    public HttpClient Http { get; }

    /// <summary>Makes the calling test's flows run against this server (an async-local scope: call it in the test method).</summary>
    public IDisposable Use() => Flows.UseApi(_server.ApiUrl);

    public string ApiUrl => _server.ApiUrl;

    /// <summary>Starts a server on a fresh SQLite file (or a fresh PostgreSQL database) whose tag-limit WAIT is 1 s.
    /// The test then runs its flows inside <c>using var api = server.Use();</c>.</summary>
    public static async Task<SdkServer> StartAsync(bool postgres = false)
    {
        var database = postgres ? await PostgresServer.CreateDatabaseAsync() : null;
        var server = await InProcessServer.StartAsync(database?.Options(), configure: o => o.Silo.TagConcurrencySlotWaitSeconds = 1);
        return new SdkServer(server, database);
    }

    public async Task<JsonObject> FlowRunAsync(Guid id) => await GetObjectAsync($"flow_runs/{id}");

    public async Task<List<JsonObject>> FlowRunsAsync(string flowName) =>
        await PostListAsync("flow_runs/filter", new JsonObject { ["flows"] = new JsonObject { ["name"] = new JsonObject { ["any_"] = new JsonArray(flowName) } } });

    public async Task<List<JsonObject>> TaskRunsAsync(Guid flowRunId) =>
        [.. (await PostListAsync("task_runs/filter", new JsonObject
        {
            ["flow_runs"] = new JsonObject { ["id"] = new JsonObject { ["any_"] = new JsonArray(flowRunId.ToString()) } },
        })).OrderBy(t => t["created"]!.GetValue<string>(), StringComparer.Ordinal)];

    public async Task<List<string>> FlowRunStateNamesAsync(Guid flowRunId) =>
        [.. (await GetListAsync($"flow_run_states/?flow_run_id={flowRunId}")).Select(s => s["name"]!.GetValue<string>())];

    public async Task<List<string>> TaskRunStateNamesAsync(Guid taskRunId) =>
        [.. (await GetListAsync($"task_run_states/?task_run_id={taskRunId}")).Select(s => s["name"]!.GetValue<string>())];

    public async Task<List<JsonObject>> LogsAsync(Guid flowRunId) =>
        await PostListAsync("logs/filter", new JsonObject
        {
            ["logs"] = new JsonObject { ["flow_run_id"] = new JsonObject { ["any_"] = new JsonArray(flowRunId.ToString()) } },
            ["limit"] = 200,
        });

    public async Task CreateTagLimitAsync(string tag, int limit)
    {
        using var response = await Http.PostAsJsonAsync("concurrency_limits/", new { tag, concurrency_limit = limit });
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _server.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private async Task<JsonObject> GetObjectAsync(string path) =>
        JsonNode.Parse(await Http.GetStringAsync(path))!.AsObject();

    private async Task<List<JsonObject>> GetListAsync(string path) =>
        [.. JsonNode.Parse(await Http.GetStringAsync(path))!.AsArray().Select(n => n!.AsObject())];

    private async Task<List<JsonObject>> PostListAsync(string path, JsonObject body)
    {
        using var response = await Http.PostAsync(path, new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return [.. JsonNode.Parse(text)!.AsArray().Select(n => n!.AsObject())];
    }
}

/// <summary>Reading JSON fields briefly.</summary>
internal static class JsonFields
{
    public static string Str(this JsonObject o, string name) => o[name]?.GetValue<string>() ?? "";

    public static Guid Id(this JsonObject o, string name = "id") => Guid.Parse(o.Str(name));

    public static JsonObject State(this JsonObject o) => o["state"]!.AsObject();

    public static int Int(this JsonObject o, string name) => o[name]!.GetValue<int>();

    public static string Json(this JsonObject o) => o.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
