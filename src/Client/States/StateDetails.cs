namespace OrleansFlow.Client;

/// <summary>The details of a state (Prefect's <c>state_details</c>): links to runs, cache key, pause and retry flags.</summary>
public sealed record StateDetails
{
    /// <summary>The flow run the state belongs to (or whose task run it is).</summary>
    public Guid? FlowRunId { get; init; }

    /// <summary>The task run the state belongs to.</summary>
    public Guid? TaskRunId { get; init; }

    /// <summary>For a subflow's parent task run: the subflow's run.</summary>
    public Guid? ChildFlowRunId { get; init; }

    /// <summary>When a SCHEDULED state is due.</summary>
    public DateTimeOffset? ScheduledTime { get; init; }

    /// <summary>The task's cache key.</summary>
    public string? CacheKey { get; init; }

    /// <summary>When the cache entry expires; null never.</summary>
    public DateTimeOffset? CacheExpiration { get; init; }

    /// <summary>The result was not persisted.</summary>
    public bool UntrackableResult { get; init; }

    /// <summary>When a pause times out.</summary>
    public DateTimeOffset? PauseTimeout { get; init; }

    /// <summary>Whether a pause reschedules the run.</summary>
    public bool PauseReschedule { get; init; }

    /// <summary>The pause's key.</summary>
    public string? PauseKey { get; init; }

    /// <summary>Ignore a cached result and compute it again.</summary>
    public bool? RefreshCache { get; init; }

    /// <summary>False when a failure must not be retried.</summary>
    public bool? Retriable { get; init; }

    /// <summary>The id of one state change request (Prefect's <c>transition_id</c>): the server applies a request that is
    /// sent again with the same id only once.</summary>
    public Guid? TransitionId { get; init; }

    /// <summary>For a PAUSED state that waits for input (Prefect 2.15+): the flow run input keys of the pause, by role
    /// (<c>schema</c>, <c>response</c>, <c>description</c>).</summary>
    public IReadOnlyDictionary<string, string>? RunInputKeyset { get; init; }

    /// <summary>Details with nothing set.</summary>
    public static StateDetails Empty { get; } = new();
}
