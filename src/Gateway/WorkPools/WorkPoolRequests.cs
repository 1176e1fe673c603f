using System.Text.Json;

namespace OrleansFlow.Gateway.WorkPools;

/// <summary>Body of <c>POST /api/work_pools/</c>.</summary>
public sealed class WorkPoolCreateRequest
{
    /// <summary>The unique name (required).</summary>
    public string? Name { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>The worker type; default <c>prefect-agent</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The base job template (a JSON object).</summary>
    public JsonElement? BaseJobTemplate { get; init; }

    /// <summary>True creates the pool paused.</summary>
    public bool? IsPaused { get; init; }

    /// <summary>The most active runs; null is no limit.</summary>
    public int? ConcurrencyLimit { get; init; }
}

/// <summary>Body of <c>PATCH /api/work_pools/{name}</c>: absent fields are kept; <c>concurrency_limit: null</c> removes
/// the limit.</summary>
public sealed class WorkPoolUpdateRequest
{
    /// <summary>A new description.</summary>
    public string? Description { get; init; }

    /// <summary>Pause or resume.</summary>
    public bool? IsPaused { get; init; }

    /// <summary>A new base job template.</summary>
    public JsonElement? BaseJobTemplate { get; init; }

    /// <summary>A new limit (a number), null to remove it; absent keeps it.</summary>
    public JsonElement ConcurrencyLimit { get; init; }
}

/// <summary>Body of <c>POST /api/work_pools/{name}/queues</c> and <c>POST /api/work_queues/</c>.</summary>
public sealed class WorkQueueCreateRequest
{
    /// <summary>The name, unique in the pool (required).</summary>
    public string? Name { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>True creates the queue paused.</summary>
    public bool? IsPaused { get; init; }

    /// <summary>The most active runs; null is no limit.</summary>
    public int? ConcurrencyLimit { get; init; }

    /// <summary>The priority (1 is first); default: after the pool's other queues.</summary>
    public int? Priority { get; init; }

    /// <summary>A legacy queue filter.</summary>
    public JsonElement? Filter { get; init; }
}

/// <summary>Body of <c>PATCH /api/work_pools/{pool}/queues/{name}</c> and <c>PATCH /api/work_queues/{id}</c>.</summary>
public sealed class WorkQueueUpdateRequest
{
    /// <summary>A new name.</summary>
    public string? Name { get; init; }

    /// <summary>A new description.</summary>
    public string? Description { get; init; }

    /// <summary>Pause or resume.</summary>
    public bool? IsPaused { get; init; }

    /// <summary>A new limit (a number), null to remove it; absent keeps it.</summary>
    public JsonElement ConcurrencyLimit { get; init; }

    /// <summary>A new priority.</summary>
    public int? Priority { get; init; }

    /// <summary>A new legacy filter.</summary>
    public JsonElement? Filter { get; init; }
}

/// <summary>Body of <c>POST /api/work_pools/{name}/workers/heartbeat</c>.</summary>
public sealed class WorkerHeartbeatRequest
{
    /// <summary>The worker's name (required).</summary>
    public string? Name { get; init; }

    /// <summary>How often the worker heartbeats (Prefect 2.13+; more than 0): it counts as offline after three intervals
    /// without a heartbeat.</summary>
    public int? HeartbeatIntervalSeconds { get; init; }
}

/// <summary>Body of <c>POST /api/work_pools/{name}/get_scheduled_flow_runs</c>.</summary>
public sealed class GetScheduledFlowRunsRequest
{
    /// <summary>The queues to take from; empty is all.</summary>
    public List<string>? WorkQueueNames { get; init; }

    /// <summary>Only runs due before this time.</summary>
    public DateTimeOffset? ScheduledBefore { get; init; }

    /// <summary>Ignored (Prefect accepts it).</summary>
    public DateTimeOffset? ScheduledAfter { get; init; }

    /// <summary>At most this many runs.</summary>
    public int? Limit { get; init; }

    /// <summary>The worker asking (an OrleansFlow extension, recorded on the claims).</summary>
    public string? WorkerName { get; init; }

    /// <summary>Long poll (an OrleansFlow extension): when no run is ready, wait up to this many seconds (at most 60) for
    /// one instead of answering an empty list at once.</summary>
    public double? WaitSeconds { get; init; }
}

/// <summary>Body of <c>POST /api/work_queues/{id}/get_runs</c>.</summary>
public sealed class WorkQueueRunsRequest
{
    /// <summary>Only runs due before this time.</summary>
    public DateTimeOffset? ScheduledBefore { get; init; }

    /// <summary>At most this many runs.</summary>
    public int? Limit { get; init; }

    /// <summary>The agent asking.</summary>
    public Guid? AgentId { get; init; }
}
