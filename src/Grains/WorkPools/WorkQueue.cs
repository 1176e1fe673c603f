using System.Text.Json;

namespace OrleansFlow.Grains.WorkPools;

/// <summary>A work queue of a pool (Prefect's <c>WorkQueue</c>): runs are handed out by queue priority.</summary>
public sealed record WorkQueue
{
    /// <summary>The queue's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The name, unique within its pool.</summary>
    public required string Name { get; init; }

    /// <summary>A description.</summary>
    public string Description { get; init; } = "";

    /// <summary>True when the queue hands out no runs.</summary>
    public bool IsPaused { get; init; }

    /// <summary>The most runs of the queue that may be active at once; null is no limit.</summary>
    public int? ConcurrencyLimit { get; init; }

    /// <summary>Lower is served first; 1 is the highest priority.</summary>
    public int Priority { get; init; } = 1;

    /// <summary>The pool the queue belongs to.</summary>
    public required Guid WorkPoolId { get; init; }

    /// <summary>The legacy queue filter (kept as given).</summary>
    public JsonElement? Filter { get; init; }

    /// <summary>When a worker or agent last asked the queue for runs.</summary>
    public DateTimeOffset? LastPolled { get; init; }

    /// <summary>READY, NOT_READY or PAUSED: computed when the queue is read.</summary>
    public string? Status { get; init; }
}
