namespace OrleansFlow.Grains.Housekeeping;

/// <summary>What <see cref="HousekeeperGrain"/>'s sweep asks of the database; each call is a unit of work of its own.
/// Implemented by the silo.</summary>
public interface IHousekeepingStore
{
    /// <summary>Ends the work-queue claims whose time ran out at <paramref name="now"/>.</summary>
    Task ExpireClaimsAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes the stored heartbeats older than <paramref name="before"/>.</summary>
    Task ForgetHeartbeatsAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="batchSize"/> events that occurred before <paramref name="cutoff"/>.</summary>
    /// <returns>How many were deleted.</returns>
    Task<int> DeleteEventsOlderThanAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);

    /// <summary>Emits <c>prefect.deployment.not-ready</c> for deployments whose queues nobody polls any more, skipping the
    /// ids in <paramref name="seen"/> and adding those emitted.</summary>
    /// <returns>How many events were emitted.</returns>
    Task<int> EmitNotReadyAsync(ISet<Guid> seen, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> ids of SCHEDULED flow runs due before <paramref name="before"/> and not yet
    /// marked Late.</summary>
    Task<List<Guid>> LateRunsAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken);

    /// <summary>How many scheduled flow runs are due at <paramref name="now"/>, per work pool and queue.</summary>
    Task<List<(string Pool, string Queue, long Runs)>> QueueDepthsAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
