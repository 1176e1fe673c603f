using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Gateway.Tests.Infrastructure;

/// <summary>The Prefect API of a live server, called over HTTP as the Prefect client calls it. Paths are relative to
/// <c>/api/</c>, e.g. <c>"flow_runs/filter"</c>.</summary>
internal sealed class PrefectApi(HttpClient client)
{
    public HttpClient Client { get; } = client;

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<ApiResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    /// <summary>POSTs <paramref name="body"/> serialized as JSON (a <see cref="string"/> is sent as raw text).</summary>
    public Task<ApiResponse> PostAsync(string path, object? body = null) => SendAsync(HttpMethod.Post, path, body);

    public Task<ApiResponse> PatchAsync(string path, object? body) => SendAsync(HttpMethod.Patch, path, body);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, "api/" + path);
        if (body is not null)
        {
            var text = body as string ?? JsonSerializer.Serialize(body);
            request.Content = new StringContent(text, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        return await SendAsync(request);
    }

    public async Task<ApiResponse> SendAsync(HttpRequestMessage request)
    {
        var described = $"{request.Method} /{request.RequestUri}";
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiResponse(described, response.StatusCode, text, response.Content.Headers.ContentType?.ToString() ?? "");
    }

    public async Task<Guid> CreateFlowAsync(string name, params string[] tags) =>
        (await PostAsync("flows/", new { name, tags })).Expect(HttpStatusCode.Created).Id;

    /// <summary>Creates a block document of the seeded block type <paramref name="slug"/> (its first schema) holding
    /// <paramref name="data"/>; returns its id.</summary>
    public async Task<Guid> CreateBlockDocumentAsync(string slug, string name, JsonObject data)
    {
        var type = (await GetAsync($"block_types/slug/{slug}")).Expect(HttpStatusCode.OK).Object;
        var schemas = (await PostAsync("block_schemas/filter", new { block_schemas = new { block_type_id = new { any_ = new[] { IdOf(type) } } } }))
            .Expect(HttpStatusCode.OK).Array;
        return (await PostAsync("block_documents/", new { name, block_type_id = IdOf(type), block_schema_id = IdOf(schemas[0]!), data }))
            .Expect(HttpStatusCode.Created).Id;
    }

    /// <summary>Creates a flow run as the Prefect client does (in PENDING unless <paramref name="state"/> says otherwise).</summary>
    public async Task<JsonObject> CreateFlowRunAsync(Guid flowId, string? name = null, string state = "PENDING", string[]? tags = null,
        string? idempotencyKey = null, object? policy = null)
    {
        var response = await PostAsync("flow_runs/", new Dictionary<string, object?>
        {
            ["flow_id"] = flowId,
            ["name"] = name,
            ["state"] = new { type = state },
            ["tags"] = tags ?? [],
            ["idempotency_key"] = idempotencyKey,
            ["empirical_policy"] = policy,
            ["parameters"] = new { x = 1 },
        });
        return response.Expect(HttpStatusCode.Created).Object;
    }

    public async Task<JsonObject> CreateTaskRunAsync(Guid flowRunId, string taskKey = "tasks.work", string dynamicKey = "0", string[]? tags = null,
        string state = "PENDING")
    {
        var response = await PostAsync("task_runs/", new
        {
            flow_run_id = flowRunId,
            task_key = taskKey,
            dynamic_key = dynamicKey,
            name = $"{taskKey}-{dynamicKey}",
            tags = tags ?? [],
            state = new { type = state },
        });
        return response.Expect(HttpStatusCode.Created).Object;
    }

    /// <summary>Proposes a state; returns the orchestration result (any status code).</summary>
    public Task<ApiResponse> SetStateAsync(string runs, Guid id, string type, string? name = null, bool force = false) =>
        PostAsync($"{runs}/{id}/set_state", new { state = new { type, name }, force });

    /// <summary>Proposes a state and requires it to be accepted (HTTP 201, ACCEPT).</summary>
    public async Task<JsonObject> AcceptStateAsync(string runs, Guid id, string type, string? name = null)
    {
        var result = (await SetStateAsync(runs, id, type, name)).Expect(HttpStatusCode.Created).Object;
        Assert.Equal("ACCEPT", result["status"]?.GetValue<string>());
        return result;
    }

    public async Task<long> CountAsync(string resource, object? filter = null) =>
        (await PostAsync($"{resource}/count", filter ?? new { })).Expect(HttpStatusCode.OK).Body!.GetValue<long>();

    /// <summary>The ids of a filter answer, in answer order.</summary>
    public async Task<List<Guid>> FilterIdsAsync(string resource, object filter) =>
        [.. (await PostAsync($"{resource}/filter", filter)).Expect(HttpStatusCode.OK).Array.Select(r => Guid.Parse(r!["id"]!.GetValue<string>()))];

    public static Guid IdOf(JsonNode run) => Guid.Parse(run["id"]!.GetValue<string>());
}
