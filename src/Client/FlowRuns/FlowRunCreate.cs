using System.Text.Json;

namespace OrleansFlow.Client;

/// <summary>Body of <c>POST /api/flow_runs/</c> (Prefect's <c>FlowRunCreate</c>).</summary>
public sealed record FlowRunCreate
{
    /// <summary>The flow (required).</summary>
    public required Guid FlowId { get; init; }

    /// <summary>The run's name; the server picks a random one when null.</summary>
    public string? Name { get; init; }

    /// <summary>The initial state; PENDING for a run the caller starts itself.</summary>
    public StateCreate? State { get; init; }

    /// <summary>The deployment the run belongs to, if any.</summary>
    public Guid? DeploymentId { get; init; }

    /// <summary>The flow's code version.</summary>
    public string? FlowVersion { get; init; }

    /// <summary>The run's parameters as a JSON object.</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>For a subflow: the parent flow's task run that stands for it.</summary>
    public Guid? ParentTaskRunId { get; init; }

    /// <summary>Retry policy.</summary>
    public FlowRunPolicy? EmpiricalPolicy { get; init; }

    /// <summary>Tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>A key that makes a second create with the same key answer the first run.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Free-form context, a JSON object (Prefect clients send it; OrleansFlow's tools do not).</summary>
    public JsonElement? Context { get; init; }

    /// <summary>The infrastructure block document, if any (Prefect clients only).</summary>
    public Guid? InfrastructureDocumentId { get; init; }

    /// <summary>The work pool's name, if any.</summary>
    public string? WorkPoolName { get; init; }

    /// <summary>The work queue's name, if any.</summary>
    public string? WorkQueueName { get; init; }
}
