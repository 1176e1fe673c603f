using System.Text.Json;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Grains.FlowRuns;

namespace OrleansFlow.Gateway.Deployments;

/// <summary>Body of <c>POST /api/deployments/</c> (Prefect's <c>DeploymentCreate</c>).</summary>
public sealed class DeploymentCreateRequest
{
    /// <summary>The name, unique per flow (required).</summary>
    public string? Name { get; init; }

    /// <summary>The flow (required).</summary>
    public Guid? FlowId { get; init; }

    /// <summary>False pauses the schedule; default true.</summary>
    public bool? IsScheduleActive { get; init; }

    /// <summary>Default parameters of its runs.</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>Tags of its runs.</summary>
    public List<string>? Tags { get; init; }

    /// <summary>Steps to fetch the code.</summary>
    public JsonElement? PullSteps { get; init; }

    /// <summary>A legacy manifest path.</summary>
    public string? ManifestPath { get; init; }

    /// <summary>The queue; default the pool's default queue.</summary>
    public string? WorkQueueName { get; init; }

    /// <summary>The pool; default the default agent pool.</summary>
    public string? WorkPoolName { get; init; }

    /// <summary>The storage block document.</summary>
    public Guid? StorageDocumentId { get; init; }

    /// <summary>The infrastructure block document.</summary>
    public Guid? InfrastructureDocumentId { get; init; }

    /// <summary>The schedule: <c>{"cron", "timezone", "day_or"}</c> or <c>{"interval", "anchor_date", "timezone"}</c>.</summary>
    public JsonElement? Schedule { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>The JSON schema of the parameters.</summary>
    public JsonElement? ParameterOpenapiSchema { get; init; }

    /// <summary>Where the code is.</summary>
    public string? Path { get; init; }

    /// <summary>The code's version.</summary>
    public string? Version { get; init; }

    /// <summary>The flow's entry point.</summary>
    public string? Entrypoint { get; init; }

    /// <summary>Job variables overriding the pool's template.</summary>
    public JsonElement? InfraOverrides { get; init; }

    /// <summary>Prefect 2.16+'s name for <see cref="InfraOverrides"/> (used when that is absent).</summary>
    public JsonElement? JobVariables { get; init; }

    /// <summary>Prefect 2.16+'s schedules, <c>[{"schedule": {...}, "active": true, "max_active_runs": null,
    /// "max_scheduled_runs": null, "catchup": false}]</c>; runs are made from every active one. Without it, a
    /// <c>schedule</c> becomes the one schedule (active as <c>is_schedule_active</c>).</summary>
    public List<JsonElement>? Schedules { get; init; }

    /// <summary>Prefect 2.18+: true pauses the deployment (and sets <c>is_schedule_active</c> false); wins over
    /// <c>is_schedule_active</c>.</summary>
    public bool? Paused { get; init; }

    /// <summary>Whether run parameters are checked against the schema; when absent they are (this server's default).</summary>
    public bool? EnforceParameterSchema { get; init; }
}

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

/// <summary>Body of <c>POST /api/deployments/{id}/create_flow_run</c> (Prefect's <c>DeploymentFlowRunCreate</c>).</summary>
public sealed class DeploymentFlowRunCreateRequest
{
    /// <summary>The initial state; default SCHEDULED, due now.</summary>
    public StateCreateRequest? State { get; init; }

    /// <summary>The run's name; default a random one.</summary>
    public string? Name { get; init; }

    /// <summary>Parameters overriding the deployment's.</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>Free-form context.</summary>
    public JsonElement? Context { get; init; }

    /// <summary>An infrastructure document overriding the deployment's.</summary>
    public Guid? InfrastructureDocumentId { get; init; }

    /// <summary>Retry and pause policy.</summary>
    public FlowRunPolicy? EmpiricalPolicy { get; init; }

    /// <summary>Tags added to the deployment's.</summary>
    public List<string>? Tags { get; init; }

    /// <summary>A key making the create idempotent.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The parent flow's task run, for a subflow.</summary>
    public Guid? ParentTaskRunId { get; init; }

    /// <summary>Prefect 2.20: overrides the deployment's <c>enforce_parameter_schema</c> for this run.</summary>
    public bool? EnforceParameterSchema { get; init; }
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
