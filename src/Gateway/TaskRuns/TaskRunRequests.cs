using System.Text.Json;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Gateway.TaskRuns;

/// <summary>Body of <c>POST /api/task_runs/</c> (Prefect's <c>TaskRunCreate</c>).</summary>
public sealed class TaskRunCreateRequest
{
    /// <summary>The run's name; a random one when null.</summary>
    public string? Name { get; init; }

    /// <summary>The flow run (required).</summary>
    public Guid? FlowRunId { get; init; }

    /// <summary>Identifies the task within its flow (required).</summary>
    public string? TaskKey { get; init; }

    /// <summary>Tells calls of one task in one flow run apart (required).</summary>
    public string? DynamicKey { get; init; }

    /// <summary>The task's cache key, if any.</summary>
    public string? CacheKey { get; init; }

    /// <summary>When the cache entry expires.</summary>
    public DateTimeOffset? CacheExpiration { get; init; }

    /// <summary>The task's code version.</summary>
    public string? TaskVersion { get; init; }

    /// <summary>Retry policy.</summary>
    public TaskRunPolicy? EmpiricalPolicy { get; init; }

    /// <summary>Tags (tag concurrency limits apply to them).</summary>
    public List<string>? Tags { get; init; }

    /// <summary>Where the inputs came from.</summary>
    public JsonElement? TaskInputs { get; init; }

    /// <summary>The initial state.</summary>
    public StateCreateRequest? State { get; init; }
}

/// <summary>Body of <c>POST /api/task_runs/begin</c> (an OrleansFlow extension): create a task run, then propose a state
/// for it through the orchestration rules, in one round trip.</summary>
public sealed class TaskRunBeginRequest
{
    /// <summary>The task run to create, as for <c>POST /api/task_runs/</c> (required).</summary>
    public TaskRunCreateRequest? TaskRun { get; init; }

    /// <summary>The state proposed once the run exists, usually RUNNING (required).</summary>
    public StateCreateRequest? State { get; init; }
}

/// <summary>Body of <c>PATCH /api/task_runs/{id}</c>.</summary>
public sealed class TaskRunUpdateRequest
{
    /// <summary>New name; null keeps it.</summary>
    public string? Name { get; init; }
}
