using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OrleansFlow.Client;

namespace OrleansFlow.Serving;

/// <summary>The REST calls a <see cref="FlowServer"/> makes beside the ones the flow engine makes: registering pools, flows
/// and deployments, the long poll for due runs, state proposals, cancellation checks and heartbeats. Thread-safe.</summary>
internal sealed class ServeApi : IDisposable
{
    private readonly HttpClient _http;

    public ServeApi(Uri apiUrl)
    {
        ApiUrl = apiUrl;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(apiUrl.ToString().TrimEnd('/') + "/"),
            // Long polls wait up to 20 s on the server.
            Timeout = TimeSpan.FromSeconds(100),
        };
        _http.DefaultRequestHeaders.Add("x-prefect-api-version", "0.8.4");
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("orleansflow-serve/0.1");
    }

    public Uri ApiUrl { get; }

    /// <summary><c>POST /work_pools/</c>, unless a pool of that name exists.</summary>
    public async Task EnsureWorkPoolAsync(string name, CancellationToken cancellationToken)
    {
        var (status, text) = await SendRawAsync(HttpMethod.Get, $"work_pools/{Uri.EscapeDataString(name)}", null, cancellationToken).ConfigureAwait(false);
        if (status == HttpStatusCode.NotFound)
        {
            (status, text) = await SendRawAsync(HttpMethod.Post, "work_pools/",
                new JsonObject { ["name"] = name, ["type"] = "serve", ["description"] = "Runs served in-process by Flows.ServeAsync." },
                cancellationToken).ConfigureAwait(false);
        }

        // A conflict is another process creating it at the same time.
        if (!IsSuccess(status) && status != HttpStatusCode.Conflict)
        {
            throw Failure(HttpMethod.Post, "work_pools/", status, text);
        }
    }

    /// <summary><c>POST /flows/</c>: the flow's id.</summary>
    public async Task<Guid> UpsertFlowAsync(string name, CancellationToken cancellationToken) =>
        Guid.Parse((await SendAsync(HttpMethod.Post, "flows/", new JsonObject { ["name"] = name, ["tags"] = new JsonArray() }, cancellationToken)
            .ConfigureAwait(false))!["id"]!.GetValue<string>());

    /// <summary><c>POST /deployments/</c> (an upsert by flow and name): the deployment.</summary>
    public async Task<JsonObject> UpsertDeploymentAsync(JsonObject body, CancellationToken cancellationToken) =>
        (JsonObject)(await SendAsync(HttpMethod.Post, "deployments/", body, cancellationToken).ConfigureAwait(false))!;

    /// <summary><c>POST /work_pools/{pool}/workers/heartbeat</c>.</summary>
    public Task HeartbeatWorkerAsync(string pool, string worker, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"work_pools/{Uri.EscapeDataString(pool)}/workers/heartbeat", new JsonObject { ["name"] = worker }, cancellationToken);

    /// <summary>The long poll: runs of <paramref name="queues"/> due before now + <paramref name="wait"/>, claimed for
    /// <paramref name="worker"/>, waiting up to <paramref name="wait"/> on the server while there are none.</summary>
    public async Task<IReadOnlyList<JsonObject>> GetScheduledFlowRunsAsync(string pool, IReadOnlyList<string> queues, int? limit, TimeSpan wait,
        string worker, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["scheduled_before"] = (DateTimeOffset.UtcNow + wait).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["wait_seconds"] = wait.TotalSeconds,
            ["worker_name"] = worker,
            ["work_queue_names"] = new JsonArray([.. queues.Select(q => (JsonNode?)q)]),
        };
        if (limit is { } max)
        {
            body["limit"] = max;
        }

        var answer = await SendAsync(HttpMethod.Post, $"work_pools/{Uri.EscapeDataString(pool)}/get_scheduled_flow_runs", body, cancellationToken)
            .ConfigureAwait(false);
        return [.. (answer?.AsArray() ?? []).Select(item => item?["flow_run"]).OfType<JsonObject>()];
    }

    /// <summary><c>POST /flow_runs/{id}/set_state</c>: the orchestration answer (<c>status</c>, <c>state</c>).</summary>
    public async Task<JsonObject> SetStateAsync(Guid id, string type, string name, string? message, CancellationToken cancellationToken) =>
        (JsonObject)(await SendAsync(HttpMethod.Post, $"flow_runs/{id}/set_state",
            new JsonObject { ["state"] = new JsonObject { ["type"] = type, ["name"] = name, ["message"] = message }, ["force"] = false },
            cancellationToken).ConfigureAwait(false))!;

    /// <summary>The state type of a flow run (<c>GET /flow_runs/{id}</c>), null when it has none.</summary>
    public async Task<string?> StateTypeAsync(Guid id, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Get, $"flow_runs/{id}", null, cancellationToken).ConfigureAwait(false))?["state"]?["type"]?.GetValue<string>();

    /// <summary>Which of <paramref name="ids"/> are CANCELLING or CANCELLED now (one <c>POST /flow_runs/filter</c>).</summary>
    public async Task<IReadOnlyList<Guid>> CancellingAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["flow_runs"] = new JsonObject
            {
                ["id"] = new JsonObject { ["any_"] = new JsonArray([.. ids.Select(i => (JsonNode?)i.ToString())]) },
                ["state"] = new JsonObject { ["type"] = new JsonObject { ["any_"] = new JsonArray("CANCELLING", "CANCELLED") } },
            },
            ["limit"] = 200,
        };
        var answer = await SendAsync(HttpMethod.Post, "flow_runs/filter", body, cancellationToken).ConfigureAwait(false);
        return [.. (answer?.AsArray() ?? []).Select(r => Guid.Parse(r!["id"]!.GetValue<string>()))];
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        var (status, text) = await SendRawAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        if (!IsSuccess(status))
        {
            throw Failure(method, path, status, text);
        }

        return status == HttpStatusCode.NoContent || text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private async Task<(HttpStatusCode Status, string Text)> SendRawAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private OrleansFlowApiException Failure(HttpMethod method, string path, HttpStatusCode status, string text) =>
        new($"{method} {new Uri(_http.BaseAddress!, path)} answered {(int)status} {status}: {text}", status);
}
