using System.Text.Json;

namespace OrleansFlow.Client;

/// <summary>Body of <c>POST /api/work_pools/</c>.</summary>
/// <param name="Name">The pool's name (required; at most 255 characters, without <c>/</c> or <c>%</c>).</param>
/// <param name="Type">Its worker type: <c>process</c>, <c>kubernetes</c> or <c>serve</c>; null or empty is <c>prefect-agent</c>.</param>
/// <param name="Description">A description.</param>
public sealed record WorkPoolCreate(string Name, string? Type = null, string? Description = null)
{
    /// <summary>The job template its workers render for each run, a JSON object; empty when null.</summary>
    public JsonElement? BaseJobTemplate { get; init; }

    /// <summary>True creates the pool paused; false when null.</summary>
    public bool? IsPaused { get; init; }

    /// <summary>The most runs of the pool active at once; null is no limit.</summary>
    public int? ConcurrencyLimit { get; init; }
}
