using System.Text.Json;

namespace OrleansFlow.Gateway.Deployments;

/// <summary>Body of <c>PATCH /api/deployments/{id}</c>: absent fields are kept; <c>schedule: null</c> removes it.</summary>
public sealed class DeploymentUpdateRequest
{
    /// <summary>A new version.</summary>
    public string? Version { get; init; }

    /// <summary>A new schedule (an object), null to remove it; absent keeps it.</summary>
    public JsonElement Schedule { get; init; }

    /// <summary>A new description.</summary>
    public string? Description { get; init; }

    /// <summary>Activate or pause the schedule.</summary>
    public bool? IsScheduleActive { get; init; }

    /// <summary>New default parameters.</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>New tags.</summary>
    public List<string>? Tags { get; init; }

    /// <summary>A new queue.</summary>
    public string? WorkQueueName { get; init; }

    /// <summary>A new pool.</summary>
    public string? WorkPoolName { get; init; }

    /// <summary>A new code location.</summary>
    public string? Path { get; init; }

    /// <summary>New job variables.</summary>
    public JsonElement? InfraOverrides { get; init; }

    /// <summary>Prefect 2.16+'s name for <see cref="InfraOverrides"/> (used when that is absent).</summary>
    public JsonElement? JobVariables { get; init; }

    /// <summary>Prefect 2.16+'s schedules: replace all of the deployment's schedules (an empty list removes them).</summary>
    public List<JsonElement>? Schedules { get; init; }

    /// <summary>Prefect 2.18+: pauses or resumes the deployment; wins over <c>is_schedule_active</c>.</summary>
    public bool? Paused { get; init; }

    /// <summary>Turns the check of run parameters against the schema on or off.</summary>
    public bool? EnforceParameterSchema { get; init; }

    /// <summary>A new entry point.</summary>
    public string? Entrypoint { get; init; }

    /// <summary>A new manifest path.</summary>
    public string? ManifestPath { get; init; }

    /// <summary>A new storage document.</summary>
    public Guid? StorageDocumentId { get; init; }

    /// <summary>A new infrastructure document.</summary>
    public Guid? InfrastructureDocumentId { get; init; }
}

/// <summary>Body of <c>POST /api/deployments/{id}/schedule</c>. Runs are created from <see cref="StartTime"/> with the
/// server's bounds (at least 3 runs and 1 hour, at most 100 runs and 100 days); the other fields are accepted and
/// ignored.</summary>
public sealed class DeploymentScheduleRequest
{
    /// <summary>Where scheduling starts; default now.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>Accepted for compatibility; ignored.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>Accepted for compatibility; ignored.</summary>
    public JsonElement? MinTime { get; init; }

    /// <summary>Accepted for compatibility; ignored.</summary>
    public int? MinRuns { get; init; }

    /// <summary>Accepted for compatibility; ignored.</summary>
    public int? MaxRuns { get; init; }
}
