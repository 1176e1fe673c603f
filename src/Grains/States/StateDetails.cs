namespace OrleansFlow.Grains.States;

/// <summary>Details attached to a state (Prefect's <c>state_details</c>).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.StateDetails")]
public sealed record StateDetails
{
    /// <summary>The flow run the state belongs to (set by the server).</summary>
    public Guid? FlowRunId { get; init; }

    /// <summary>The task run the state belongs to (set by the server for task-run states).</summary>
    public Guid? TaskRunId { get; init; }

    /// <summary>For a subflow's parent task run: the child flow run.</summary>
    public Guid? ChildFlowRunId { get; init; }

    /// <summary>For SCHEDULED states: when the run may start.</summary>
    public DateTimeOffset? ScheduledTime { get; init; }

    /// <summary>The cache key a COMPLETED task state is stored under, or that a RUNNING proposal looks up.</summary>
    public string? CacheKey { get; init; }

    /// <summary>When the cached state stops being valid; null means never.</summary>
    public DateTimeOffset? CacheExpiration { get; init; }

    /// <summary>True when the result cannot be tracked by the server.</summary>
    public bool UntrackableResult { get; init; }

    /// <summary>For PAUSED states: when the pause times out.</summary>
    public DateTimeOffset? PauseTimeout { get; init; }

    /// <summary>For PAUSED states: true when the run releases its infrastructure and is rescheduled on resume.</summary>
    public bool PauseReschedule { get; init; }

    /// <summary>For PAUSED states: the key that identifies this pause within the run.</summary>
    public string? PauseKey { get; init; }

    /// <summary>For PAUSED states that wait for input (Prefect 2.15+): the flow run input keys of the pause, by role
    /// (<c>schema</c>, <c>response</c>, <c>description</c>). Resuming checks the run input against the <c>schema</c> input
    /// and stores it under the <c>response</c> key.</summary>
    public IReadOnlyDictionary<string, string>? RunInputKeyset { get; init; }

    /// <summary>True to ignore a cached state and compute again.</summary>
    public bool? RefreshCache { get; init; }

    /// <summary>For a FAILED proposal of a task run: false when the failure must not be retried (the task's retry condition
    /// said so), whatever retries are left; null or true lets the retry policy decide.</summary>
    public bool? Retriable { get; init; }

    /// <summary>An id the client gives one state change (Prefect 2.15+'s <c>transition_id</c>). A proposal that carries the
    /// id of the run's current state is the same request sent again (its answer was lost): it is rejected and the current
    /// state returned, so a retried request is applied once.</summary>
    public Guid? TransitionId { get; init; }

    /// <summary>An empty set of details.</summary>
    public static StateDetails Empty { get; } = new();
}
