namespace OrleansFlow.Client;

public sealed partial class OrleansFlowClient
{
    /// <summary><c>POST /api/flows/</c>: the flow named <paramref name="flow"/>'s name, created on first sight.</summary>
    /// <exception cref="OrleansFlowApiException">The server refused the call.</exception>
    public Task<Flow> CreateFlowAsync(FlowCreate flow, CancellationToken cancellationToken = default) =>
        PostAsync("flows/", flow, Types.FlowCreate, Types.Flow, cancellationToken);

    /// <summary><c>GET /api/flows/{id}</c>.</summary>
    /// <exception cref="OrleansFlowApiException">No such flow (404), or the server refused the call.</exception>
    public Task<Flow> ReadFlowAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync($"flows/{id}", Types.Flow, cancellationToken);

    /// <summary><c>POST /api/flow_runs/</c>.</summary>
    /// <exception cref="OrleansFlowApiException">The server refused the call (422 names the field).</exception>
    public Task<FlowRun> CreateFlowRunAsync(FlowRunCreate run, CancellationToken cancellationToken = default) =>
        PostAsync("flow_runs/", run, Types.FlowRunCreate, Types.FlowRun, cancellationToken);

    /// <summary><c>GET /api/flow_runs/{id}</c>.</summary>
    /// <exception cref="OrleansFlowApiException">No such run (404), or the server refused the call.</exception>
    public Task<FlowRun> ReadFlowRunAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync($"flow_runs/{id}", Types.FlowRun, cancellationToken);

    /// <summary><c>PATCH /api/flow_runs/{id}</c>: changes the fields set in <paramref name="update"/>.</summary>
    /// <exception cref="OrleansFlowApiException">No such run (404), or the server refused the call.</exception>
    public Task UpdateFlowRunAsync(Guid id, FlowRunUpdate update, CancellationToken cancellationToken = default) =>
        SendNoResultAsync(HttpMethod.Patch, $"flow_runs/{id}", update, Types.FlowRunUpdate, cancellationToken);

    /// <summary><c>POST /api/flow_runs/filter</c>.</summary>
    /// <exception cref="OrleansFlowApiException">The server refused the filter.</exception>
    public async Task<IReadOnlyList<FlowRun>> ReadFlowRunsAsync(FlowRunFilter filter, CancellationToken cancellationToken = default) =>
        await PostAsync("flow_runs/filter", filter, Types.FlowRunFilter, Types.ListFlowRun, cancellationToken).ConfigureAwait(false);

    /// <summary><c>POST /api/flow_runs/count</c>: how many runs match <paramref name="filter"/>.</summary>
    /// <exception cref="OrleansFlowApiException">The server refused the filter.</exception>
    public Task<int> CountFlowRunsAsync(FlowRunFilter filter, CancellationToken cancellationToken = default) =>
        PostAsync("flow_runs/count", filter, Types.FlowRunFilter, Types.Int32, cancellationToken);

    /// <summary><c>POST /api/flow_runs/{id}/set_state</c>: proposes <paramref name="state"/> through the orchestration rules
    /// (or past them with <paramref name="force"/>). The proposal carries a transition id (a new one unless
    /// <paramref name="state"/> has one), so the call is sent again when its answer is lost and the server applies it once.</summary>
    /// <exception cref="OrleansFlowApiException">No such run (404), or the server refused the proposal (422).</exception>
    public Task<OrchestrationResult> SetFlowRunStateAsync(Guid id, StateCreate state, bool force = false, CancellationToken cancellationToken = default) =>
        SetStateAsync($"flow_runs/{id}/set_state", state, force, cancellationToken);

    /// <summary><c>POST /api/flow_runs/{id}/heartbeat</c> (an OrleansFlow extension): the run is alive.</summary>
    /// <exception cref="OrleansFlowApiException">No such run (404), or the server refused the call.</exception>
    public async Task HeartbeatFlowRunAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"flow_runs/{id}/heartbeat");
        await SendCoreAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST /api/task_runs/</c>.</summary>
    /// <exception cref="OrleansFlowApiException">The server refused the call (422 names the field).</exception>
    public Task<TaskRun> CreateTaskRunAsync(TaskRunCreate run, CancellationToken cancellationToken = default) =>
        PostAsync("task_runs/", run, Types.TaskRunCreate, Types.TaskRun, cancellationToken);

    /// <summary><c>POST /api/task_runs/begin</c> (an OrleansFlow extension): creates the task run and proposes
    /// <paramref name="state"/> in one round trip. Against a server without the route, makes the two calls instead.</summary>
    /// <exception cref="OrleansFlowApiException">The server refused the call.</exception>
    public async Task<TaskRunBeginResult> BeginTaskRunAsync(TaskRunCreate run, StateCreate state, CancellationToken cancellationToken = default)
    {
        if (!_beginUnsupported)
        {
            try
            {
                return await PostAsync("task_runs/begin", new TaskRunBegin(run, state), Types.TaskRunBegin, Types.TaskRunBeginResult, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (OrleansFlowApiException e) when (e.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.MethodNotAllowed)
            {
                _beginUnsupported = true;
            }
        }

        var created = await CreateTaskRunAsync(run, cancellationToken).ConfigureAwait(false);
        return new TaskRunBeginResult(created, await SetTaskRunStateAsync(created.Id, state, cancellationToken: cancellationToken).ConfigureAwait(false));
    }

    /// <summary><c>POST /api/task_runs/{id}/set_state</c>, with a transition id as for flow runs.</summary>
    /// <exception cref="OrleansFlowApiException">No such run (404), or the server refused the proposal (422).</exception>
    public Task<OrchestrationResult> SetTaskRunStateAsync(Guid id, StateCreate state, bool force = false, CancellationToken cancellationToken = default) =>
        SetStateAsync($"task_runs/{id}/set_state", state, force, cancellationToken);

    /// <summary><c>POST /api/task_runs/filter</c>.</summary>
    /// <exception cref="OrleansFlowApiException">The server refused the filter.</exception>
    public async Task<IReadOnlyList<TaskRun>> ReadTaskRunsAsync(TaskRunFilter filter, CancellationToken cancellationToken = default) =>
        await PostAsync("task_runs/filter", filter, Types.TaskRunFilter, Types.ListTaskRun, cancellationToken).ConfigureAwait(false);

    /// <summary><c>POST /api/logs/</c>; nothing is sent for an empty batch.</summary>
    /// <exception cref="OrleansFlowApiException">The server refused the batch.</exception>
    public Task CreateLogsAsync(List<LogCreate> logs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(logs);
        return logs.Count == 0 ? Task.CompletedTask : SendNoResultAsync(HttpMethod.Post, "logs/", logs, Types.ListLogCreate, cancellationToken);
    }

    private async Task<OrchestrationResult> SetStateAsync(string path, StateCreate state, bool force, CancellationToken cancellationToken)
    {
        var details = state.StateDetails ?? StateDetails.Empty;
        var transitionId = details.TransitionId ?? Guid.NewGuid();
        state = state with { StateDetails = details with { TransitionId = transitionId } };

        using var request = Request(HttpMethod.Post, path, new SetStateRequest(state, force), Types.SetStateRequest);
        request.Options.Set(TransientRetryHandler.Replayable, true);
        var answer = Read(await SendCoreAsync(request, cancellationToken).ConfigureAwait(false), Types.OrchestrationResult, request);

        // A copy of this request that was sent again after its answer was lost is refused as a duplicate with the state the
        // first one wrote: that is the first one's answer (ACCEPT when it wrote the proposed type, else the replacement).
        return answer is { Status: OrchestrationStatus.Reject, State: { } current } && current.StateDetails.TransitionId == transitionId
            && current.Type == state.Type
            ? answer with { Status = OrchestrationStatus.Accept, Details = new OrchestrationDetails { Type = "accept_details" } }
            : answer;
    }
}
