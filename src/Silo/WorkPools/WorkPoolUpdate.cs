using System.Text.Json;

namespace OrleansFlow.Silo.WorkPools;

/// <summary>Fields of a pool to change; null keeps a field (<see cref="ClearConcurrencyLimit"/> removes the limit).</summary>
public sealed record WorkPoolUpdate
{
    /// <summary>A new description.</summary>
    public string? Description { get; init; }

    /// <summary>Pause (true) or resume (false).</summary>
    public bool? IsPaused { get; init; }

    /// <summary>A new base job template.</summary>
    public JsonElement? BaseJobTemplate { get; init; }

    /// <summary>A new concurrency limit.</summary>
    public int? ConcurrencyLimit { get; init; }

    /// <summary>True to remove the concurrency limit.</summary>
    public bool ClearConcurrencyLimit { get; init; }
}
