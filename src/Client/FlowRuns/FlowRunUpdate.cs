using System.Text.Json;

namespace OrleansFlow.Client;

/// <summary>Body of <c>PATCH /api/flow_runs/{id}</c>: the fields to change (null ones are left as they are).</summary>
public sealed record FlowRunUpdate
{
    /// <summary>A new name.</summary>
    public string? Name { get; init; }

    /// <summary>The id of the run's infrastructure (a process id, a Kubernetes Job).</summary>
    public string? InfrastructurePid { get; init; }

    /// <summary>A new flow version.</summary>
    public string? FlowVersion { get; init; }

    /// <summary>New parameters, a JSON object.</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>A new retry and pause policy.</summary>
    public FlowRunPolicy? EmpiricalPolicy { get; init; }

    /// <summary>New tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }
}
