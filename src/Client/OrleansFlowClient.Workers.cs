namespace OrleansFlow.Client;

public sealed partial class OrleansFlowClient
{
    /// <summary><c>GET /api/work_pools/{name}</c>; null when there is no such pool.</summary>
    /// <exception cref="OrleansFlowApiException">The server refused the call.</exception>
    public async Task<WorkPool?> ReadWorkPoolAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync($"work_pools/{Escape(name)}", Types.WorkPool, cancellationToken).ConfigureAwait(false);
        }
        catch (OrleansFlowApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary><c>POST /api/work_pools/</c>.</summary>
    /// <exception cref="OrleansFlowApiException">A pool of that name exists (409), or the server refused the call.</exception>
    public Task<WorkPool> CreateWorkPoolAsync(WorkPoolCreate pool, CancellationToken cancellationToken = default) =>
        PostAsync("work_pools/", pool, Types.WorkPoolCreate, Types.WorkPool, cancellationToken);

    /// <summary>Creates the pool unless one of that name exists (another process creating it at the same time is fine).</summary>
    /// <exception cref="OrleansFlowApiException">The server refused the call.</exception>
    public async Task EnsureWorkPoolAsync(WorkPoolCreate pool, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (await ReadWorkPoolAsync(pool.Name, cancellationToken).ConfigureAwait(false) is null)
        {
            try
            {
                await CreateWorkPoolAsync(pool, cancellationToken).ConfigureAwait(false);
            }
            catch (OrleansFlowApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
            }
        }
    }

    /// <summary><c>POST /api/work_pools/{pool}/workers/heartbeat</c>.</summary>
    /// <exception cref="OrleansFlowApiException">No such pool (404), or the server refused the call.</exception>
    public Task HeartbeatWorkerAsync(string pool, string worker, CancellationToken cancellationToken = default) =>
        SendNoResultAsync(HttpMethod.Post, $"work_pools/{Escape(pool)}/workers/heartbeat", new WorkerHeartbeat(worker), Types.WorkerHeartbeat,
            cancellationToken);

    /// <summary><c>POST /api/work_pools/{pool}/get_scheduled_flow_runs</c>: the claimed runs (some may be due a little
    /// later within the window), after waiting on the server while there are none (see
    /// <see cref="GetScheduledFlowRuns.For"/>).</summary>
    /// <exception cref="OrleansFlowApiException">No such pool (404), or the server refused the call.</exception>
    public async Task<IReadOnlyList<WorkerFlowRun>> GetScheduledFlowRunsAsync(string pool, GetScheduledFlowRuns request,
        CancellationToken cancellationToken = default) =>
        await PostAsync($"work_pools/{Escape(pool)}/get_scheduled_flow_runs", request, Types.GetScheduledFlowRuns, Types.ListWorkerFlowRun,
            cancellationToken).ConfigureAwait(false);
}
