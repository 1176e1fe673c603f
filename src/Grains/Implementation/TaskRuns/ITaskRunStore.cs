using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Hosting;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.TaskRuns;

/// <summary>What <see cref="TaskRunGrain"/> reads and writes, inside the transactions of <see cref="IGrainDatabase"/>: the
/// run's row with its state history and the task-result cache. Implemented by the silo over its database.</summary>
public interface ITaskRunStore
{
    /// <summary>Inserts <paramref name="run"/> with its first state, if any; false when its flow run already has a task
    /// run with its task key and dynamic key, or one with its id (nothing is written).</summary>
    Task<bool> CreateAsync(IGrainTransaction transaction, TaskRun run, State? first, CancellationToken cancellationToken);

    /// <summary>The task run of <paramref name="run"/>'s flow run with its task key and dynamic key, if any.</summary>
    Task<TaskRun?> FindByKeyAsync(IGrainTransaction transaction, TaskRun run, CancellationToken cancellationToken);

    /// <summary>The run and its row version; null when there is no such run.</summary>
    Task<(TaskRun Run, long Version)?> GetAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken);

    /// <summary>The run, its row version and its flow run (null when that is gone); null when there is no such run.</summary>
    Task<(TaskRun Run, long Version, FlowRun? FlowRun)?> GetWithFlowRunAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken);

    /// <summary>Writes the run's fields (not its state) if its row is still at <paramref name="expectedVersion"/>.</summary>
    /// <returns>False when the row moved on or is gone (nothing is written).</returns>
    Task<bool> UpdateAsync(IGrainTransaction transaction, TaskRun run, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Writes the run in its new state and appends <paramref name="written"/> to its history, if its row is still
    /// at <paramref name="expectedVersion"/>.</summary>
    /// <exception cref="Orchestration.ConcurrencyConflictException">The row moved on (the unit of work runs again).</exception>
    Task TransitionAsync(IGrainTransaction transaction, TaskRun run, long expectedVersion, State written, CancellationToken cancellationToken);

    /// <summary>Deletes the run with its states; false when there was none.</summary>
    Task<bool> DeleteAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken);

    /// <summary>The cached COMPLETED state under <paramref name="cacheKey"/> that has not expired at <paramref name="now"/>.</summary>
    Task<State?> LookupCacheAsync(IGrainTransaction transaction, string cacheKey, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Caches <paramref name="state"/> under its cache key (replacing an expired entry).</summary>
    Task InsertCacheAsync(IGrainTransaction transaction, State state, DateTimeOffset now, CancellationToken cancellationToken);
}
