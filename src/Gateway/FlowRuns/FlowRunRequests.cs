using System.Text.Json;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Grains.FlowRuns;

namespace OrleansFlow.Gateway.FlowRuns;

/// <summary>Body of <c>POST /api/flow_runs/</c> (Prefect's <c>FlowRunCreate</c>).</summary>
public sealed class FlowRunCreateRequest
{
    /// <summary>The run's name; a random one when null.</summary>
    public string? Name { get; init; }

    /// <summary>The flow (required).</summary>
    public Guid? FlowId { get; init; }

    /// <summary>The initial state; none when null.</summary>
    public StateCreateRequest? State { get; init; }

    /// <summary>The deployment, if any.</summary>
    public Guid? DeploymentId { get; init; }

    /// <summary>The flow's code version.</summary>
    public string? FlowVersion { get; init; }

    /// <summary>The run's parameters (an object).</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>Free-form context (an object).</summary>
    public JsonElement? Context { get; init; }

    /// <summary>For a subflow: the parent's task run.</summary>
    public Guid? ParentTaskRunId { get; init; }

    /// <summary>The infrastructure document, if any.</summary>
    public Guid? InfrastructureDocumentId { get; init; }

    /// <summary>Retry and pause policy.</summary>
    public FlowRunPolicy? EmpiricalPolicy { get; init; }

    /// <summary>Tags.</summary>
    public List<string>? Tags { get; init; }

    /// <summary>A second create with the same key for the same flow returns the first run.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The work pool's name, if any.</summary>
    public string? WorkPoolName { get; init; }

    /// <summary>The work queue's name, if any.</summary>
    public string? WorkQueueName { get; init; }
}

/// <summary>Body of <c>PATCH /api/flow_runs/{id}</c>; null fields are kept.</summary>
public sealed class FlowRunUpdateRequest
{
    /// <summary>New name.</summary>
    public string? Name { get; init; }

    /// <summary>New flow version.</summary>
    public string? FlowVersion { get; init; }

    /// <summary>New parameters (an object).</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>New policy.</summary>
    public FlowRunPolicy? EmpiricalPolicy { get; init; }

    /// <summary>New tags.</summary>
    public List<string>? Tags { get; init; }

    /// <summary>The infrastructure's identifier (set by workers).</summary>
    public string? InfrastructurePid { get; init; }
}

/// <summary>Checks shared by run requests.</summary>
internal static class JsonChecks
{
    public static JsonElement? Object(JsonElement? value, string field) => value switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Object } => value,
        _ => throw ApiValidationException.Field(field, "value is not a valid dict", "type_error.dict"),
    };
}
