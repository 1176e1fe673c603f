using System.Text.Json;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.FlowRuns;

/// <summary>The stored state of a flow-run grain: the run's fields and its current state.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.FlowRun")]
public sealed record FlowRun
{
    /// <summary>The run's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When the run was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When the run was last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The run's name (e.g. <c>enigmatic-mole</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The flow this is a run of.</summary>
    public required Guid FlowId { get; init; }

    /// <summary>The id of the current state, if any.</summary>
    public Guid? StateId { get; init; }

    /// <summary>The deployment that created the run, if any.</summary>
    public Guid? DeploymentId { get; init; }

    /// <summary>The work queue the run is placed in, if any.</summary>
    public Guid? WorkQueueId { get; init; }

    /// <summary>The name of the work queue, if any.</summary>
    public string? WorkQueueName { get; init; }

    /// <summary>The version of the flow's code.</summary>
    public string? FlowVersion { get; init; }

    /// <summary>The run's parameters (a JSON object).</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>A client-chosen key: a second create with the same key and flow returns this run.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Free-form context (a JSON object).</summary>
    public JsonElement? Context { get; init; }

    /// <summary>Retry and pause policy.</summary>
    public FlowRunPolicy EmpiricalPolicy { get; init; } = new();

    /// <summary>The run's tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>For a subflow: the parent flow's task run that represents it.</summary>
    public Guid? ParentTaskRunId { get; init; }

    /// <summary>The current state's type, if any.</summary>
    public StateType? StateType { get; init; }

    /// <summary>The current state's name, if any.</summary>
    public string? StateName { get; init; }

    /// <summary>How many times the run entered RUNNING.</summary>
    public int RunCount { get; init; }

    /// <summary>When the run was expected to start (its first scheduled time).</summary>
    public DateTimeOffset? ExpectedStartTime { get; init; }

    /// <summary>When a SCHEDULED run is next due.</summary>
    public DateTimeOffset? NextScheduledStartTime { get; init; }

    /// <summary>When the run first entered RUNNING.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>When the run entered a terminal state.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>Seconds spent in RUNNING, summed over all runs.</summary>
    public double TotalRunTime { get; init; }

    /// <summary>Estimated seconds of running so far (total run time plus the current RUNNING stretch). Computed when
    /// the run is read; the stored value is not used.</summary>
    public double EstimatedRunTime { get; init; }

    /// <summary>Estimated seconds between the expected start and the actual (or, if not started, current) time.
    /// Computed when the run is read; the stored value is not used.</summary>
    public double EstimatedStartTimeDelta { get; init; }

    /// <summary>True when a schedule created the run.</summary>
    public bool AutoScheduled { get; init; }

    /// <summary>The infrastructure document that runs it, if any.</summary>
    public Guid? InfrastructureDocumentId { get; init; }

    /// <summary>The infrastructure's identifier (e.g. a process id), set by the worker.</summary>
    public string? InfrastructurePid { get; init; }

    /// <summary>Who created the run (a JSON object), if known.</summary>
    public JsonElement? CreatedBy { get; init; }

    /// <summary>The work pool the run is placed in, if any.</summary>
    public Guid? WorkPoolId { get; init; }

    /// <summary>The name of the work pool, if any.</summary>
    public string? WorkPoolName { get; init; }

    /// <summary>The current state.</summary>
    public State? State { get; init; }
}
