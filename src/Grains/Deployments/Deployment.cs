using System.Text.Json;

namespace OrleansFlow.Grains.Deployments;

/// <summary>A deployment (Prefect's <c>Deployment</c>): a flow with its parameters, schedule, pool and queue.</summary>
public sealed record Deployment
{
    /// <summary>The deployment's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The name, unique per flow.</summary>
    public required string Name { get; init; }

    /// <summary>The version of the deployed code.</summary>
    public string? Version { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>The flow it deploys.</summary>
    public required Guid FlowId { get; init; }

    /// <summary>The schedule as given (interval, cron or rrule object); null when there is none.</summary>
    public JsonElement? Schedule { get; init; }

    /// <summary>False pauses the schedule; always the opposite of <see cref="Paused"/>.</summary>
    public bool IsScheduleActive { get; init; } = true;

    /// <summary>Prefect 2.16+'s schedules; runs are made from the active ones. A deployment stored before schedules
    /// existed has none here and its <see cref="Schedule"/> stands for one active schedule.</summary>
    public IReadOnlyList<DeploymentScheduleEntry> Schedules { get; init; } = [];

    /// <summary>Prefect 2.18+'s pause of the whole deployment: no runs are scheduled; the opposite of
    /// <see cref="IsScheduleActive"/>.</summary>
    public bool Paused { get; init; }

    /// <summary>Whether run parameters are checked against <see cref="ParameterOpenapiSchema"/>. A client that sends
    /// the field decides (Prefect 2.20's default is false); a deployment created without it is checked, as this server
    /// always did.</summary>
    public bool EnforceParameterSchema { get; init; } = true;

    /// <summary>Job variables that override the pool's base job template.</summary>
    public JsonElement? InfraOverrides { get; init; }

    /// <summary><see cref="InfraOverrides"/> under Prefect 2.16+'s name, which later workers read.</summary>
    public JsonElement? JobVariables => InfraOverrides;

    /// <summary>Default parameters of its runs (a JSON object).</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>Tags given to its runs.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The queue its runs go to.</summary>
    public string? WorkQueueName { get; init; }

    /// <summary>The JSON schema run parameters must satisfy.</summary>
    public JsonElement? ParameterOpenapiSchema { get; init; }

    /// <summary>Where the flow's code is.</summary>
    public string? Path { get; init; }

    /// <summary>Steps to fetch the code.</summary>
    public JsonElement? PullSteps { get; init; }

    /// <summary>The flow's entry point (e.g. <c>flows.py:etl</c> or <c>MyFlows.dll:Etl</c>).</summary>
    public string? Entrypoint { get; init; }

    /// <summary>A legacy manifest path.</summary>
    public string? ManifestPath { get; init; }

    /// <summary>The storage block document.</summary>
    public Guid? StorageDocumentId { get; init; }

    /// <summary>The infrastructure block document.</summary>
    public Guid? InfrastructureDocumentId { get; init; }

    /// <summary>Who created it (a JSON object).</summary>
    public JsonElement? CreatedBy { get; init; }

    /// <summary>Who last changed it (a JSON object).</summary>
    public JsonElement? UpdatedBy { get; init; }

    /// <summary>The pool its runs go to.</summary>
    public string? WorkPoolName { get; init; }
}
