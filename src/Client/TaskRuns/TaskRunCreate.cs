namespace OrleansFlow.Client;

/// <summary>Body of <c>POST /api/task_runs/</c> (Prefect's <c>TaskRunCreate</c>).</summary>
public sealed record TaskRunCreate
{
    /// <summary>The flow run (required).</summary>
    public required Guid FlowRunId { get; init; }

    /// <summary>The run's name; the server picks one when null.</summary>
    public string? Name { get; init; }

    /// <summary>Identifies the task within its flow (required).</summary>
    public required string TaskKey { get; init; }

    /// <summary>Tells calls of one task in one flow run apart (required).</summary>
    public required string DynamicKey { get; init; }

    /// <summary>The task's cache key, if any.</summary>
    public string? CacheKey { get; init; }

    /// <summary>When the cache entry expires.</summary>
    public DateTimeOffset? CacheExpiration { get; init; }

    /// <summary>The task's code version.</summary>
    public string? TaskVersion { get; init; }

    /// <summary>Retry policy.</summary>
    public TaskRunPolicy? EmpiricalPolicy { get; init; }

    /// <summary>Tags (tag concurrency limits apply to them); none by default.</summary>
    public IReadOnlyList<string>? Tags { get; init; } = [];

    /// <summary>Where the inputs came from: per parameter, the upstream runs (<c>{"input_type": "task_run", "id": ...}</c>);
    /// none by default.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<TaskRunInput>>? TaskInputs { get; init; } = new Dictionary<string, IReadOnlyList<TaskRunInput>>();

    /// <summary>The initial state (usually PENDING); null creates the run without one.</summary>
    public StateCreate? State { get; init; }
}
