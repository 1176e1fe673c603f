namespace OrleansFlow.Client;

/// <summary>Body of <c>POST /api/work_pools/{name}/workers/heartbeat</c>.</summary>
/// <param name="Name">The worker's name.</param>
public sealed record WorkerHeartbeat(string Name);
