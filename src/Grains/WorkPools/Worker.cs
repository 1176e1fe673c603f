namespace OrleansFlow.Grains.WorkPools;

/// <summary>A worker of a pool, known from its heartbeats (Prefect's <c>Worker</c>).</summary>
public sealed record Worker
{
    /// <summary>The worker's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When its first heartbeat arrived.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When its last heartbeat arrived.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The name, unique within its pool.</summary>
    public required string Name { get; init; }

    /// <summary>The pool it polls.</summary>
    public required Guid WorkPoolId { get; init; }

    /// <summary>When its last heartbeat arrived.</summary>
    public DateTimeOffset LastHeartbeatTime { get; init; }

    /// <summary>How often the worker said it heartbeats (Prefect 2.13+), or null.</summary>
    public int? HeartbeatIntervalSeconds { get; init; }

    /// <summary>ONLINE or OFFLINE, computed when the worker is read.</summary>
    public string? Status { get; init; }
}
