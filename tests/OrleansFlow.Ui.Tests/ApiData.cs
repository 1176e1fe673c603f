using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Ui.Tests;

/// <summary>Makes real data through the server's HTTP API, as the SDK and the Prefect client do.</summary>
public sealed class ApiData(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public async Task<Guid> FlowAsync(string name) => await PostIdAsync("flows/", new JsonObject { ["name"] = name });

    public async Task<Guid> FlowRunAsync(Guid flowId, string name, string stateType, string[]? tags = null, JsonObject? parameters = null)
    {
        var body = new JsonObject
        {
            ["flow_id"] = flowId.ToString(),
            ["name"] = name,
            ["state"] = new JsonObject { ["type"] = stateType },
            ["tags"] = new JsonArray([.. (tags ?? []).Select(t => (JsonNode)t)]),
            ["parameters"] = parameters ?? [],
        };
        return await PostIdAsync("flow_runs/", body);
    }

    public async Task<Guid> TaskRunAsync(Guid flowRunId, string name, string stateType, string[]? tags = null, JsonObject? taskInputs = null,
        string? cacheKey = null, string dynamicKey = "0")
    {
        var body = new JsonObject
        {
            ["flow_run_id"] = flowRunId.ToString(),
            ["task_key"] = name,
            ["dynamic_key"] = dynamicKey,
            ["name"] = name,
            ["tags"] = new JsonArray([.. (tags ?? []).Select(t => (JsonNode)t)]),
            ["state"] = new JsonObject { ["type"] = stateType },
            ["task_inputs"] = taskInputs ?? [],
        };
        if (cacheKey is not null)
        {
            body["cache_key"] = cacheKey;
        }

        return await PostIdAsync("task_runs/", body);
    }

    /// <summary>Task inputs naming upstream task runs: <c>{"name": [{"input_type": "task_run", "id": ...}]}</c>.</summary>
    public static JsonObject Inputs(params (string Name, Guid[] Upstream)[] inputs)
    {
        var result = new JsonObject();
        foreach (var (name, upstream) in inputs)
        {
            result[name] = new JsonArray([.. upstream.Select(id => (JsonNode)new JsonObject { ["input_type"] = "task_run", ["id"] = id.ToString() })]);
        }

        return result;
    }

    public async Task<JsonObject> SetTaskStateAsync(Guid taskRunId, string stateType) =>
        await PostAsync($"task_runs/{taskRunId}/set_state", new JsonObject { ["state"] = new JsonObject { ["type"] = stateType } });

    public async Task<JsonObject> SetFlowStateAsync(Guid flowRunId, string stateType, bool force = false) =>
        await PostAsync($"flow_runs/{flowRunId}/set_state", new JsonObject { ["state"] = new JsonObject { ["type"] = stateType }, ["force"] = force });

    public async Task LogAsync(Guid flowRunId, int level, string message, Guid? taskRunId = null)
    {
        var body = new JsonArray(new JsonObject
        {
            ["name"] = "prefect.flow_runs",
            ["level"] = level,
            ["message"] = message,
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["flow_run_id"] = flowRunId.ToString(),
            ["task_run_id"] = taskRunId?.ToString(),
        });
        using var response = await Http.PostAsJsonAsync("logs/", body);
        response.EnsureSuccessStatusCode();
    }

    public async Task ArtifactAsync(Guid flowRunId, string key, string type, string data) =>
        await PostAsync("artifacts/", new JsonObject { ["key"] = key, ["type"] = type, ["data"] = data, ["flow_run_id"] = flowRunId.ToString() });

    public async Task<JsonObject> FlowRunJsonAsync(Guid flowRunId) =>
        JsonNode.Parse(await Http.GetStringAsync($"flow_runs/{flowRunId}"))!.AsObject();

    public async Task<JsonObject> TaskRunJsonAsync(Guid taskRunId) =>
        JsonNode.Parse(await Http.GetStringAsync($"task_runs/{taskRunId}"))!.AsObject();

    public async Task<JsonObject> PostJsonAsync(string path, JsonObject body) => await PostAsync(path, body);

    private async Task<Guid> PostIdAsync(string path, JsonObject body) => Guid.Parse((string)(await PostAsync(path, body))["id"]!);

    private async Task<JsonObject> PostAsync(string path, JsonObject body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
