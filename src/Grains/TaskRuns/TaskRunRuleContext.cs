using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.TaskRuns;

/// <summary>Everything the task-run rules need besides the run and the proposal. The rules do no I/O:
/// the caller loads and passes all of it.</summary>
public sealed record TaskRunRuleContext
{
    /// <summary>The current time.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>The id to give a state that gets written.</summary>
    public required Guid NewStateId { get; init; }

    /// <summary>True to skip the core rules (Prefect's <c>force=true</c>); the bookkeeping still applies.</summary>
    public bool Force { get; init; }

    /// <summary>The flow run the task belongs to, if it exists.</summary>
    public FlowRun? FlowRun { get; init; }

    /// <summary>A valid (unexpired) COMPLETED state cached under the proposal's cache key, if the caller found one.
    /// The caller looks it up when the proposal is RUNNING and carries a cache key without <c>refresh_cache</c>.</summary>
    public State? CachedState { get; init; }

    /// <summary>The concurrency limits of the run's tags as their grains answered a request for a slot (when the proposal
    /// is RUNNING): a limit whose slot the run got holds its id; one that refused is full, or 0.</summary>
    public IReadOnlyList<ConcurrencyLimit> ConcurrencyLimits { get; init; } = [];

    /// <summary>A uniform random sample in [0, 1) used for retry jitter (a seeded source in tests).</summary>
    public double JitterSample { get; init; }

    /// <summary>Seconds a task waits before proposing RUNNING again when a tag's limit is full (Prefect: 30).</summary>
    public int TagConcurrencySlotWaitSeconds { get; init; } = 30;
}
