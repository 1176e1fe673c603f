using System.Text.Json;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.TaskRuns;

/// <summary>The stored state of a task-run grain: the run's fields and its current state.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.TaskRun")]
public sealed record TaskRun
{
    /// <summary>The run's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When the run was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When the run was last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The run's name (e.g. <c>extract-0</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The flow run this task run belongs to.</summary>
    public required Guid FlowRunId { get; init; }

    /// <summary>Identifies the task within its flow (e.g. <c>__main__.extract</c>).</summary>
    public required string TaskKey { get; init; }

    /// <summary>Tells calls of the same task in one flow run apart (e.g. <c>0</c>, <c>1</c>).</summary>
    public required string DynamicKey { get; init; }

    /// <summary>The cache key the task computed, if any.</summary>
    public string? CacheKey { get; init; }

    /// <summary>When the cache entry expires, if any.</summary>
    public DateTimeOffset? CacheExpiration { get; init; }

    /// <summary>The version of the task's code.</summary>
    public string? TaskVersion { get; init; }

    /// <summary>Retry policy.</summary>
    public TaskRunPolicy EmpiricalPolicy { get; init; } = new();

    /// <summary>The run's tags; tag concurrency limits apply to them.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The id of the current state, if any.</summary>
    public Guid? StateId { get; init; }

    /// <summary>Where the task's inputs came from (a JSON object of lists), for the dependency graph.</summary>
    public JsonElement? TaskInputs { get; init; }

    /// <summary>The current state's type, if any.</summary>
    public StateType? StateType { get; init; }

    /// <summary>The current state's name, if any.</summary>
    public string? StateName { get; init; }

    /// <summary>How many times the run entered RUNNING.</summary>
    public int RunCount { get; init; }

    /// <summary>The flow run's run count when this task last ran.</summary>
    public int FlowRunRunCount { get; init; }

    /// <summary>When the run was expected to start.</summary>
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

    /// <summary>The current state.</summary>
    public State? State { get; init; }
}
