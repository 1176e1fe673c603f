using System.Text.Json.Nodes;

namespace OrleansFlow.Client;

/// <summary>Body of <c>POST /api/deployments/{id}/create_flow_run</c> (Prefect's <c>DeploymentFlowRunCreate</c>).</summary>
public sealed record DeploymentFlowRunCreate
{
    /// <summary>Parameters that override the deployment's defaults.</summary>
    public JsonObject? Parameters { get; init; }

    /// <summary>The run's name; the server picks one when null.</summary>
    public string? Name { get; init; }

    /// <summary>Tags, added to the deployment's.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>The initial state; SCHEDULED, due now, when null.</summary>
    public StateCreate? State { get; init; }

    /// <summary>Free-form context.</summary>
    public JsonObject? Context { get; init; }

    /// <summary>An infrastructure block document overriding the deployment's (Prefect clients only).</summary>
    public Guid? InfrastructureDocumentId { get; init; }

    /// <summary>Retry and pause policy.</summary>
    public FlowRunPolicy? EmpiricalPolicy { get; init; }

    /// <summary>A key that makes a second create with the same key answer the first run.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>For a subflow: the parent flow's task run.</summary>
    public Guid? ParentTaskRunId { get; init; }

    /// <summary>Prefect 2.20: overrides the deployment's <c>enforce_parameter_schema</c> for this run.</summary>
    public bool? EnforceParameterSchema { get; init; }
}
