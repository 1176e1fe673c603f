using System.Text.Json;

namespace OrleansFlow.Silo.WorkPools;

/// <summary>Fields of a queue to change; null keeps a field (<see cref="ClearConcurrencyLimit"/> removes the limit).</summary>
public sealed record WorkQueueUpdate
{
    /// <summary>A new name.</summary>
    public string? Name { get; init; }

    /// <summary>A new description.</summary>
    public string? Description { get; init; }

    /// <summary>Pause (true) or resume (false).</summary>
    public bool? IsPaused { get; init; }

    /// <summary>A new concurrency limit.</summary>
    public int? ConcurrencyLimit { get; init; }

    /// <summary>True to remove the concurrency limit.</summary>
    public bool ClearConcurrencyLimit { get; init; }

    /// <summary>A new priority.</summary>
    public int? Priority { get; init; }

    /// <summary>A new legacy filter.</summary>
    public JsonElement? Filter { get; init; }
}
