using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Worker;

/// <summary>The calls of the Prefect 2 REST API (plus the long-poll extension) a worker makes. Thread-safe.</summary>
public sealed class WorkerApi : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="apiUrl">The API root, e.g. <c>http://127.0.0.1:4200/api</c>.</param>
    public WorkerApi(Uri apiUrl)
    {
        ArgumentNullException.ThrowIfNull(apiUrl);
        _http = new HttpClient
        {
            BaseAddress = new Uri(apiUrl.ToString().TrimEnd('/') + "/"),
            // Long polls wait up to 60 s on the server.
            Timeout = TimeSpan.FromSeconds(100),
        };
        _http.DefaultRequestHeaders.Add("x-prefect-api-version", "0.8.4");
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("orleansflow-worker/0.1");
    }

    /// <summary><c>POST /work_pools/{pool}/workers/heartbeat</c>.</summary>
    public async Task HeartbeatAsync(string pool, string worker, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Post, $"work_pools/{Uri.EscapeDataString(pool)}/workers/heartbeat", new { name = worker }, cancellationToken).ConfigureAwait(false);

    /// <summary><c>POST /work_pools/{pool}/get_scheduled_flow_runs</c> for runs due before now + <paramref name="wait"/>,
    /// waiting up to <paramref name="wait"/> on the server while there are none. Answers the flow runs (claimed for
    /// <paramref name="worker"/>); some may be due only later within the window.</summary>
    public async Task<IReadOnlyList<JsonObject>> GetScheduledFlowRunsAsync(string pool, IReadOnlyList<string> queues, int? limit, TimeSpan wait,
        string worker, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["scheduled_before"] = (DateTimeOffset.UtcNow + wait).ToString("O"),
            ["wait_seconds"] = Math.Min(60, wait.TotalSeconds),
            ["worker_name"] = worker,
        };
        if (queues.Count > 0)
        {
            body["work_queue_names"] = new JsonArray([.. queues.Select(q => (JsonNode?)q)]);
        }

        if (limit is { } max)
        {
            body["limit"] = max;
        }

        var answer = await SendAsync(HttpMethod.Post, $"work_pools/{Uri.EscapeDataString(pool)}/get_scheduled_flow_runs", body, cancellationToken).ConfigureAwait(false);
        return [.. (answer?.AsArray() ?? []).Select(item => item?["flow_run"]).OfType<JsonObject>()];
    }

    /// <summary><c>GET /flow_runs/{id}</c>.</summary>
    public async Task<JsonObject> GetFlowRunAsync(Guid id, CancellationToken cancellationToken = default) =>
        (JsonObject)(await SendAsync(HttpMethod.Get, $"flow_runs/{id}", null, cancellationToken).ConfigureAwait(false))!;

    /// <summary><c>GET /deployments/{id}</c>.</summary>
    public async Task<JsonObject> GetDeploymentAsync(Guid id, CancellationToken cancellationToken = default) =>
        (JsonObject)(await SendAsync(HttpMethod.Get, $"deployments/{id}", null, cancellationToken).ConfigureAwait(false))!;

    /// <summary><c>GET /work_pools/{name}</c>.</summary>
    public async Task<JsonObject> GetWorkPoolAsync(string name, CancellationToken cancellationToken = default) =>
        (JsonObject)(await SendAsync(HttpMethod.Get, $"work_pools/{Uri.EscapeDataString(name)}", null, cancellationToken).ConfigureAwait(false))!;

    /// <summary><c>PATCH /flow_runs/{id}</c> with the run's <c>infrastructure_pid</c>.</summary>
    public async Task SetInfrastructurePidAsync(Guid id, string pid, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Patch, $"flow_runs/{id}", new { infrastructure_pid = pid }, cancellationToken).ConfigureAwait(false);

    /// <summary>Proposes PENDING for a claimed run, as a worker does before it starts the run's infrastructure.</summary>
    /// <returns>True when accepted; false (and a line on <paramref name="log"/>) when another worker has the run or it
    /// cannot start.</returns>
    public async Task<bool> ProposePendingAsync(Guid id, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        var status = await SetFlowRunStateAsync(id, "PENDING", "Pending", null, cancellationToken).ConfigureAwait(false);
        if (status == "ACCEPT")
        {
            return true;
        }

        await log.WriteLineAsync($"Run {id}: PENDING answered {status}; skipping it.").ConfigureAwait(false);
        return false;
    }

    /// <summary><c>POST /flow_runs/{id}/set_state</c>; answers the orchestration status (<c>ACCEPT</c>, <c>REJECT</c>,
    /// <c>ABORT</c> or <c>WAIT</c>).</summary>
    public async Task<string> SetFlowRunStateAsync(Guid id, string type, string name, string? message = null,
        CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync(HttpMethod.Post, $"flow_runs/{id}/set_state",
            new { state = new { type, name, message }, force = false }, cancellationToken).ConfigureAwait(false);
        return answer?["status"]?.GetValue<string>() ?? "";
    }

    /// <summary><c>POST /task_runs/filter</c>: the ids of <paramref name="flowRunId"/>'s task runs in state
    /// <paramref name="stateType"/>.</summary>
    public async Task<IReadOnlyList<Guid>> GetTaskRunIdsAsync(Guid flowRunId, string stateType, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["task_runs"] = new JsonObject
            {
                ["flow_run_id"] = new JsonObject { ["any_"] = new JsonArray(flowRunId.ToString()) },
                ["state"] = new JsonObject { ["type"] = new JsonObject { ["any_"] = new JsonArray(stateType) } },
            },
        };
        var answer = await SendAsync(HttpMethod.Post, "task_runs/filter", body, cancellationToken).ConfigureAwait(false);
        return [.. (answer?.AsArray() ?? []).Select(item => item?["id"]?.GetValue<string>()).OfType<string>().Select(Guid.Parse)];
    }

    /// <summary><c>POST /task_runs/{id}/set_state</c>; answers the orchestration status.</summary>
    public async Task<string> SetTaskRunStateAsync(Guid id, string type, string name, string? message, bool force,
        CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync(HttpMethod.Post, $"task_runs/{id}/set_state",
            new { state = new { type, name, message }, force }, cancellationToken).ConfigureAwait(false);
        return answer?["status"]?.GetValue<string>() ?? "";
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {path} answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        return response.StatusCode == HttpStatusCode.NoContent || text.Length == 0 ? null : JsonNode.Parse(text);
    }
}
