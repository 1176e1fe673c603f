namespace OrleansFlow.Client;

/// <summary>Body of <c>POST /api/work_pools/{name}/workers/heartbeat</c>.</summary>
/// <param name="Name">The worker's name.</param>
public sealed record WorkerHeartbeat(string Name)
{
    /// <summary>How often the worker heartbeats (Prefect 2.13+; more than 0): it counts as offline after three intervals
    /// without a heartbeat. Null leaves the server's default.</summary>
    public int? HeartbeatIntervalSeconds { get; init; }
}
