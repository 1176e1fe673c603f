using System.Diagnostics;
using System.Net;
using OrleansFlow.Bench.Metrics;

namespace OrleansFlow.Bench.Scenarios;

/// <summary>
/// One concurrent client: runs hot-path iterations back to back, one request in flight at a time, until the
/// deadline passes or a stop is requested. A started iteration is finished (as in the recorded baseline); an
/// iteration is abandoned at its first error. All state is private to the worker: no locks on the hot path.
/// </summary>
internal sealed class HotPathWorker
{
    private const string CreateFlowRun = "create_flow_run";
    private const string SetFlowRunState = "set_flow_run_state";
    private const string CreateTaskRun = "create_task_run";
    private const string SetTaskRunState = "set_task_run_state";
    private const int MaxSampleBodyChars = 300;
    private static readonly TimeSpan TransportErrorBackoff = TimeSpan.FromMilliseconds(100);

    private readonly HttpClient _http;
    private readonly PrefectEndpoints _endpoints;
    private readonly HotPathPlan _plan;
    private readonly RequestBodies _bodies = new();
    private readonly HotPathStats _stats = new();
    private readonly ResponseBuffer _response = new();

    public HotPathWorker(HttpClient http, PrefectEndpoints endpoints, HotPathPlan plan)
    {
        _http = http;
        _endpoints = endpoints;
        _plan = plan;
    }

    public async Task<HotPathStats> RunAsync(long deadlineTimestamp, CancellationToken stop)
    {
        while (Stopwatch.GetTimestamp() < deadlineTimestamp && !stop.IsCancellationRequested)
        {
            if (await RunIterationAsync())
            {
                _stats.FlowRunsCompleted++;
            }
        }

        return _stats;
    }

    private ReadOnlySpan<byte> Response => _response.Body;

    private async Task<bool> RunIterationAsync()
    {
        // Back-dated by a second so that a server clock slightly behind ours never answers PENDING with WAIT.
        var flowRunBody = _bodies.FlowRun(_plan.FlowId, _plan.NextFlowRunName(), DateTimeOffset.UtcNow.AddSeconds(-1));
        var flowRunId = await CreateAsync(_endpoints.FlowRuns, flowRunBody, CreateFlowRun);
        if (flowRunId is null)
        {
            return false;
        }

        var flowRunState = _endpoints.FlowRunSetState(flowRunId);
        if (!await SetStateAsync(flowRunState, RequestBodies.SetPending, SetFlowRunState)
            || !await SetStateAsync(flowRunState, RequestBodies.SetRunning, SetFlowRunState))
        {
            return false;
        }

        for (var i = 0; i < _plan.TasksPerFlow; i++)
        {
            var taskRunBody = _bodies.TaskRun(flowRunId, _plan.DynamicKeys[i], _plan.TaskNames[i]);
            var taskRunId = await CreateAsync(_endpoints.TaskRuns, taskRunBody, CreateTaskRun);
            if (taskRunId is null)
            {
                return false;
            }

            _stats.TaskRunsCreated++;
            var taskRunState = _endpoints.TaskRunSetState(taskRunId);
            if (!await SetStateAsync(taskRunState, RequestBodies.SetPending, SetTaskRunState)
                || !await SetStateAsync(taskRunState, RequestBodies.SetRunning, SetTaskRunState)
                || !await SetStateAsync(taskRunState, RequestBodies.SetCompleted, SetTaskRunState))
            {
                return false;
            }
        }

        return await SetStateAsync(flowRunState, RequestBodies.SetCompleted, SetFlowRunState);
    }

    private async Task<string?> CreateAsync(Uri uri, ReadOnlyMemory<byte> body, string operation)
    {
        if (!await PostAsync(uri, body, operation, _stats.Create))
        {
            return null;
        }

        var id = ResponseParser.ReadId(Response);
        if (id is null)
        {
            _stats.RecordError($"{operation} no_id", $"{operation}: response without a top-level \"id\": {ResponseSample()}");
        }

        return id;
    }

    private async Task<bool> SetStateAsync(Uri uri, ReadOnlyMemory<byte> body, string operation)
    {
        if (!await PostAsync(uri, body, operation, _stats.SetState))
        {
            return false;
        }

        if (ResponseParser.IsAccepted(Response, out var status))
        {
            _stats.Transitions++;
            return true;
        }

        _stats.RecordError($"{operation} {status ?? "no_status"}", $"{operation} {uri.AbsolutePath}: {ResponseSample()}");
        return false;
    }

    /// <summary>Sends one POST and reads the whole body into the worker's buffer; false (recorded) on any error.</summary>
    private async Task<bool> PostAsync(Uri uri, ReadOnlyMemory<byte> body, string operation, LatencyRecorder group)
    {
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = content,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        int status;
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await _response.ReadAsync(response.Content);
            status = (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            var kind = ex is OperationCanceledException ? "timeout" : "transport";
            _stats.RecordError($"{operation} {kind}", $"{operation} {uri.AbsolutePath}: {ex.GetType().Name}: {ex.Message}");

            // Keeps a dead or restarting server from turning the workers into a busy loop.
            await Task.Delay(TransportErrorBackoff);
            return false;
        }

        var elapsed = Stopwatch.GetTimestamp() - start;
        _stats.All.RecordTicks(elapsed);
        group.RecordTicks(elapsed);
        if (status is < 200 or > 299)
        {
            _stats.RecordError($"{operation} http_{status}", $"{operation} {uri.AbsolutePath}: HTTP {status}: {ResponseSample()}");
            return false;
        }

        _stats.Requests++;
        return true;
    }

    private string ResponseSample()
    {
        var text = _response.Preview(MaxSampleBodyChars);
        return _response.Length > MaxSampleBodyChars ? text + "..." : text;
    }
}
