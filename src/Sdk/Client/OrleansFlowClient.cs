using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansFlow.Grains.Json;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Logging;

namespace OrleansFlow.Client;

/// <summary>The calls of the Prefect 2 REST API a flow program makes (the ones the recorded Prefect client traffic shows),
/// in the wire format of <see cref="OrleansFlowJson"/>. Thread-safe; one per server.</summary>
internal sealed class OrleansFlowClient : IDisposable
{
    private const int MaxAttempts = 3;

    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, Guid> _flowIds = new(StringComparer.Ordinal);
    private bool _beginUnsupported;

    /// <param name="apiUrl">The API root, e.g. <c>http://127.0.0.1:4200/api</c>.</param>
    public OrleansFlowClient(Uri apiUrl)
    {
        ArgumentNullException.ThrowIfNull(apiUrl);
        ApiUrl = apiUrl;
        var root = apiUrl.ToString().TrimEnd('/') + "/";
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 64 })
        {
            BaseAddress = new Uri(root),
            Timeout = TimeSpan.FromSeconds(100),
        };
        _http.DefaultRequestHeaders.Add("x-prefect-api-version", "0.8.4");
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("orleansflow-sdk/0.1");
        Logs = new LogShipper(this);
    }

    /// <summary>The API root this client talks to.</summary>
    public Uri ApiUrl { get; }

    /// <summary>Ships run logs to this server in batches.</summary>
    public LogShipper Logs { get; }

    /// <summary><c>POST /api/flows/</c>: the id of the flow named <paramref name="name"/>, created on first sight.</summary>
    public async Task<Guid> UpsertFlowAsync(string name, IReadOnlyList<string> tags, CancellationToken cancellationToken = default)
    {
        if (_flowIds.TryGetValue(name, out var known))
        {
            return known;
        }

        var flow = await SendAsync(HttpMethod.Post, "flows/", new { name, tags }, cancellationToken).ConfigureAwait(false);
        var id = flow.GetProperty("id").GetGuid();
        _flowIds[name] = id;
        return id;
    }

    /// <summary><c>POST /api/flow_runs/</c> in PENDING.</summary>
    public async Task<CreatedRun> CreateFlowRunAsync(Guid flowId, string? name, string? flowVersion, JsonElement parameters,
        Guid? parentTaskRunId, StateDetails details, int retries, int retryDelay, IReadOnlyList<string> tags,
        CancellationToken cancellationToken = default)
    {
        var body = new
        {
            state = Proposal(new RunStateProposal(StateType.Pending, "Pending") { StateDetails = details }),
            name,
            flow_id = flowId,
            deployment_id = (Guid?)null,
            flow_version = flowVersion,
            parameters,
            context = new { },
            parent_task_run_id = parentTaskRunId,
            infrastructure_document_id = (Guid?)null,
            empirical_policy = new { max_retries = 0, retry_delay_seconds = 0, retries, retry_delay = retryDelay, pause_keys = Array.Empty<string>(), resuming = false },
            tags,
            idempotency_key = (string?)null,
        };
        var run = await SendAsync(HttpMethod.Post, "flow_runs/", body, cancellationToken).ConfigureAwait(false);
        return new CreatedRun(run.GetProperty("id").GetGuid(), run.GetProperty("name").GetString() ?? "");
    }

    /// <summary><c>POST /api/task_runs/</c> in PENDING.</summary>
    public async Task<CreatedRun> CreateTaskRunAsync(TaskRunSpec spec, CancellationToken cancellationToken = default)
    {
        var run = await SendAsync(HttpMethod.Post, "task_runs/", TaskRunBody(spec), cancellationToken).ConfigureAwait(false);
        return Created(run);
    }

    /// <summary><c>POST /api/task_runs/begin</c> (an OrleansFlow extension): creates the task run in PENDING and proposes
    /// <paramref name="state"/> in one round trip. A server without the route gets the two calls instead.</summary>
    public async Task<(CreatedRun Run, OrchestrationResult Answer)> BeginTaskRunAsync(TaskRunSpec spec, RunStateProposal state,
        CancellationToken cancellationToken = default)
    {
        if (!_beginUnsupported)
        {
            try
            {
                var begun = await SendAsync(HttpMethod.Post, "task_runs/begin", new { task_run = TaskRunBody(spec), state = Proposal(state) },
                    cancellationToken).ConfigureAwait(false);
                return (Created(begun.GetProperty("task_run")), WireJson.ReadResult(begun.GetProperty("orchestration_result")));
            }
            catch (OrleansFlowApiException e) when (e.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.MethodNotAllowed)
            {
                _beginUnsupported = true;
            }
        }

        var run = await CreateTaskRunAsync(spec, cancellationToken).ConfigureAwait(false);
        return (run, await SetTaskRunStateAsync(run.Id, state, cancellationToken).ConfigureAwait(false));
    }

    /// <summary><c>POST /api/flow_runs/{id}/set_state</c>.</summary>
    public Task<OrchestrationResult> SetFlowRunStateAsync(Guid id, RunStateProposal state, CancellationToken cancellationToken = default) =>
        SetStateAsync($"flow_runs/{id}/set_state", state, cancellationToken);

    /// <summary><c>POST /api/task_runs/{id}/set_state</c>.</summary>
    public Task<OrchestrationResult> SetTaskRunStateAsync(Guid id, RunStateProposal state, CancellationToken cancellationToken = default) =>
        SetStateAsync($"task_runs/{id}/set_state", state, cancellationToken);

    /// <summary><c>POST /api/flow_runs/{id}/heartbeat</c> (an OrleansFlow extension): the run is alive.</summary>
    public async Task HeartbeatAsync(Guid flowRunId, CancellationToken cancellationToken = default) =>
        await SendOnceAsync(HttpMethod.Post, $"flow_runs/{flowRunId}/heartbeat", null, cancellationToken).ConfigureAwait(false);

    /// <summary><c>GET /api/{path}</c> as JSON.</summary>
    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary><c>GET /api/flow_runs/{id}</c>: the type of the run's current state, or null when it has none.</summary>
    public async Task<StateType?> GetFlowRunStateTypeAsync(Guid flowRunId, CancellationToken cancellationToken = default)
    {
        var run = await SendOnceAsync(HttpMethod.Get, $"flow_runs/{flowRunId}", null, cancellationToken).ConfigureAwait(false);
        return run.TryGetProperty("state_type", out var type) && type.ValueKind == JsonValueKind.String
            ? Enum.Parse<StateType>(type.GetString()!, ignoreCase: true)
            : null;
    }

    /// <summary><c>POST /api/logs/</c>.</summary>
    public async Task CreateLogsAsync(IReadOnlyList<LogEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count > 0)
        {
            await SendAsync(HttpMethod.Post, "logs/", Utf8Json(writer => WireJson.WriteLogs(writer, entries)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Logs.Dispose();
        _http.Dispose();
    }

    private async Task<OrchestrationResult> SetStateAsync(string path, RunStateProposal state, CancellationToken cancellationToken)
    {
        var body = Utf8Json(writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("state");
            WireJson.WriteProposal(writer, state);
            writer.WriteBoolean("force", false);
            writer.WriteEndObject();
        });
        return WireJson.ReadResult(await SendAsync(HttpMethod.Post, path, body, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A request body written by hand (see <see cref="WireJson"/>).</summary>
    private static Utf8Body Utf8Json(Action<Utf8JsonWriter> write) => new(WireJson.Write(write));

    private static object TaskRunBody(TaskRunSpec spec) => new
    {
        name = spec.Name,
        flow_run_id = spec.FlowRunId,
        task_key = spec.TaskKey,
        dynamic_key = spec.DynamicKey,
        cache_key = spec.CacheKey,
        cache_expiration = spec.CacheExpiration,
        task_version = spec.TaskVersion,
        empirical_policy = new
        {
            max_retries = 0,
            retry_delay_seconds = 0,
            retries = spec.Retries,
            retry_delay = spec.RetryDelay,
            retry_jitter_factor = spec.RetryJitterFactor,
        },
        tags = spec.Tags,
        task_inputs = spec.TaskInputs,
        state = Proposal(new RunStateProposal(StateType.Pending, "Pending")),
    };

    private static CreatedRun Created(JsonElement run) => new(run.GetProperty("id").GetGuid(), run.GetProperty("name").GetString() ?? "");

    /// <summary>A proposed state inside a larger body, written as <see cref="WireJson.WriteProposal"/> writes every proposal.</summary>
    private static JsonElement Proposal(RunStateProposal state) => WireJson.Element(writer => WireJson.WriteProposal(writer, state));

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(method, path, body, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < MaxAttempts && IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                // The server did not process the call (no connection, or 429/503): try again shortly, as Prefect's client does.
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsTransient(Exception e) => e switch
    {
        HttpRequestException { StatusCode: null } => true,
        OrleansFlowApiException { StatusCode: System.Net.HttpStatusCode.ServiceUnavailable or System.Net.HttpStatusCode.TooManyRequests } => true,
        _ => false,
    };

    private async Task<JsonElement> SendOnceAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is Utf8Body utf8)
        {
            request.Content = new ReadOnlyMemoryContent(utf8.Bytes) { Headers = { ContentType = new("application/json") { CharSet = "utf-8" } } };
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: OrleansFlowJson.Options);
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new OrleansFlowApiException(
                $"{method} {new Uri(_http.BaseAddress!, path)} answered {(int)response.StatusCode} {response.StatusCode}: {text}", response.StatusCode);
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private sealed record Utf8Body(ReadOnlyMemory<byte> Bytes);
}
