using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.TaskRuns;

/// <summary>A task-run decision plus the side records the caller writes in the same transaction.</summary>
public sealed record TaskRunTransition
{
    /// <summary>The decision and the updated run.</summary>
    public required Transition<TaskRun> Transition { get; init; }

    /// <summary>Tags whose concurrency limit gets a slot for this run (the run id is added to their active slots).</summary>
    public IReadOnlyList<string> AcquireSlots { get; init; } = [];

    /// <summary>True when the run gives back every slot it holds (its id is removed from all active slots).</summary>
    public bool ReleaseSlots { get; init; }

    /// <summary>A COMPLETED state to store in the cache under its cache key, if any.</summary>
    public State? CacheInsert { get; init; }
}
