using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Hosting;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.FlowRuns;

/// <summary>What <see cref="FlowRunGrain"/> reads and writes, inside the transactions of <see cref="IGrainDatabase"/>:
/// the run's row with its state history (the tables the API queries), its heartbeats, and what its state-change events
/// relate to. Implemented by the silo over its database.</summary>
public interface IFlowRunStore
{
    /// <summary>Whether flow <paramref name="flowId"/> exists (a run may only be created for a flow that does).</summary>
    Task<bool> FlowExistsAsync(IGrainTransaction transaction, Guid flowId, CancellationToken cancellationToken);

    /// <summary>Inserts <paramref name="run"/> with its first state, if any; false when a run with its id, or with its
    /// flow and idempotency key, exists already (nothing is written).</summary>
    Task<bool> CreateAsync(IGrainTransaction transaction, FlowRun run, State? first, CancellationToken cancellationToken);

    /// <summary>The run and its row version; null when there is no such run.</summary>
    Task<(FlowRun Run, long Version)?> GetAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken);

    /// <summary>The run of flow <paramref name="flowId"/> with idempotency key <paramref name="key"/>, if any.</summary>
    Task<FlowRun?> FindByIdempotencyKeyAsync(IGrainTransaction transaction, Guid flowId, string key, CancellationToken cancellationToken);

    /// <summary>Writes the run's fields (not its state) if its row is still at <paramref name="expectedVersion"/>.</summary>
    /// <returns>False when the row moved on or is gone (nothing is written).</returns>
    Task<bool> UpdateAsync(IGrainTransaction transaction, FlowRun run, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Writes the run in its new state and appends <paramref name="written"/> to its history, if its row is still
    /// at <paramref name="expectedVersion"/>.</summary>
    /// <exception cref="Orchestration.ConcurrencyConflictException">The row moved on (the unit of work runs again).</exception>
    Task TransitionAsync(IGrainTransaction transaction, FlowRun run, long expectedVersion, State written, CancellationToken cancellationToken);

    /// <summary>Deletes the run with its states and task runs; false when there was none.</summary>
    Task<bool> DeleteAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken);

    /// <summary>The task runs of the run that hold tags (id and tags): read before the run is deleted, so that their
    /// concurrency slots can be given back after the delete commits.</summary>
    Task<List<(Guid Id, IReadOnlyList<string> Tags)>> TaggedTaskRunsAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken);

    /// <summary>The resources the run's state-change events relate to (flow, deployment, work queue, work pool, parent
    /// task run, tags); the silo may cache them per run.</summary>
    Task<IReadOnlyList<Resource>> RelatedResourcesAsync(IGrainTransaction transaction, FlowRun run, CancellationToken cancellationToken);

    /// <summary>Forgets what <see cref="RelatedResourcesAsync"/> cached for run <paramref name="id"/> (its fields changed).</summary>
    void ForgetRelatedResources(Guid id);

    /// <summary>Records a heartbeat of the run at <paramref name="now"/>; false when there is no such run.</summary>
    Task<bool> RecordHeartbeatAsync(IGrainTransaction transaction, Guid id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The time of the run's last stored heartbeat, if any (another process may have recorded it).</summary>
    Task<DateTimeOffset?> LastHeartbeatAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken);

    /// <summary>The ids of the run's task runs that are RUNNING.</summary>
    Task<List<Guid>> RunningTaskRunsAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken);
}
