using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace OrleansFlow.Client;

/// <summary>Body of <c>POST /api/deployments/</c> (an upsert by flow and name).</summary>
public sealed record DeploymentCreate
{
    /// <summary>The deployment's name.</summary>
    public required string Name { get; init; }

    /// <summary>The flow.</summary>
    public required Guid FlowId { get; init; }

    /// <summary>Its schedule (<c>{"cron": ...}</c>, <c>{"interval": ...}</c> or <c>{"rrule": ...}</c>); none when null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public JsonObject? Schedule { get; init; }

    /// <summary>Whether the schedule makes runs; null is true.</summary>
    public bool? IsScheduleActive { get; init; } = true;

    /// <summary>Default parameters of its runs.</summary>
    public JsonObject? Parameters { get; init; }

    /// <summary>Tags; none by default.</summary>
    public IReadOnlyList<string>? Tags { get; init; } = [];

    /// <summary>A description.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Description { get; init; }

    /// <summary>A version label.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Version { get; init; }

    /// <summary>The OpenAPI schema of the flow's parameters.</summary>
    public JsonObject? ParameterOpenapiSchema { get; init; }

    /// <summary>The work pool its runs go to.</summary>
    public string? WorkPoolName { get; init; }

    /// <summary>The queue within the pool.</summary>
    public string? WorkQueueName { get; init; }

    /// <summary>Where the flow's code is (<c>Assembly.dll:Namespace.Type.Method</c>).</summary>
    public string? Entrypoint { get; init; }

    /// <summary>Job variables that override the pool's template for this deployment.</summary>
    public JsonObject? InfraOverrides { get; init; }

    /// <summary>Prefect 2.16+'s name for <see cref="InfraOverrides"/>, used when that is absent (Prefect clients only).</summary>
    public JsonObject? JobVariables { get; init; }

    /// <summary>Prefect 2.16+'s schedules, <c>[{"schedule": {...}, "active": true}]</c>: the active one is taken as the
    /// schedule when <see cref="Schedule"/> is absent; more than one active is refused (one schedule per deployment).
    /// Kept as sent so that the server can name a bad entry.</summary>
    public IReadOnlyList<JsonElement>? Schedules { get; init; }

    /// <summary>Steps that fetch the code (Prefect clients only), kept as sent.</summary>
    public JsonElement? PullSteps { get; init; }

    /// <summary>A legacy manifest path (Prefect clients only).</summary>
    public string? ManifestPath { get; init; }

    /// <summary>The storage block document (Prefect clients only).</summary>
    public Guid? StorageDocumentId { get; init; }

    /// <summary>The infrastructure block document (Prefect clients only).</summary>
    public Guid? InfrastructureDocumentId { get; init; }

    /// <summary>Where the code is (Prefect clients only).</summary>
    public string? Path { get; init; }

    /// <summary>Prefect 2.18+: true pauses the deployment (no runs from its schedules); wins over
    /// <see cref="IsScheduleActive"/>.</summary>
    public bool? Paused { get; init; }

    /// <summary>Whether run parameters are checked against <see cref="ParameterOpenapiSchema"/>; when null the server checks
    /// them (OrleansFlow's default).</summary>
    public bool? EnforceParameterSchema { get; init; }
}
