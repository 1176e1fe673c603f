using System.Text.Json;

namespace OrleansFlow.Grains.WorkPools;

/// <summary>A work pool (Prefect's <c>WorkPool</c>): a named place workers poll for runs, with a job template.</summary>
public sealed record WorkPool
{
    /// <summary>The pool's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The unique name.</summary>
    public required string Name { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>The worker type (e.g. <c>process</c>); <c>prefect-agent</c> for agent pools.</summary>
    public string Type { get; init; } = "prefect-agent";

    /// <summary>The base job template (a JSON object with <c>job_configuration</c> and <c>variables</c>).</summary>
    public JsonElement? BaseJobTemplate { get; init; }

    /// <summary>True when the pool hands out no runs.</summary>
    public bool IsPaused { get; init; }

    /// <summary>The most runs of the pool that may be active at once; null is no limit.</summary>
    public int? ConcurrencyLimit { get; init; }

    /// <summary>The queue runs land in when none is named.</summary>
    public Guid? DefaultQueueId { get; init; }

    /// <summary>READY, NOT_READY or PAUSED: computed when the pool is read (from worker heartbeats).</summary>
    public string? Status { get; init; }
}
