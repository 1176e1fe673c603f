using System.Text.Json;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Silo.Deployments;

/// <summary>What a caller may set on a run created from a deployment (Prefect's <c>DeploymentFlowRunCreate</c>).</summary>
public sealed record DeploymentRunRequest
{
    /// <summary>The initial state; null is SCHEDULED, due now.</summary>
    public ProposedState? State { get; init; }

    /// <summary>The run's name (required by the caller to be set; the gateway generates one).</summary>
    public required string Name { get; init; }

    /// <summary>Parameters overriding the deployment's.</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>Free-form context.</summary>
    public JsonElement? Context { get; init; }

    /// <summary>An infrastructure document overriding the deployment's.</summary>
    public Guid? InfrastructureDocumentId { get; init; }

    /// <summary>Retry and pause policy.</summary>
    public FlowRunPolicy? EmpiricalPolicy { get; init; }

    /// <summary>Tags added to the deployment's.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>A key making the create idempotent.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The parent flow's task run, for a subflow.</summary>
    public Guid? ParentTaskRunId { get; init; }

    /// <summary>Prefect 2.20's per-run override of the deployment's <c>enforce_parameter_schema</c>; null keeps the
    /// deployment's.</summary>
    public bool? EnforceParameterSchema { get; init; }

    /// <summary>Marks a run the scheduler created.</summary>
    public bool AutoScheduled { get; init; }
}
