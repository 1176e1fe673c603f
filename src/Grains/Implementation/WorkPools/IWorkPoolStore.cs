namespace OrleansFlow.Grains.WorkPools;

/// <summary>What <see cref="WorkPoolGrain"/> asks of the database: claims of a pool's due runs. Implemented by the silo.</summary>
public interface IWorkPoolStore
{
    /// <summary>Claims for a polling worker, in one transaction with the pool's row locked, the pool's scheduled runs in the
    /// queues named (all of the pool's when null) that its and its queues' limits and pauses allow.</summary>
    /// <param name="poolId">The pool.</param>
    /// <param name="queueNames">The queues to claim from; null for every queue of the pool.</param>
    /// <param name="before">Only runs scheduled before this time; null for runs due now.</param>
    /// <param name="limit">At most this many runs.</param>
    /// <param name="workerName">The polling worker, recorded as seen.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns>The claimed runs; null when the pool does not exist.</returns>
    Task<List<ScheduledRun>?> ClaimAsync(Guid poolId, IReadOnlyList<string>? queueNames, DateTimeOffset? before, int? limit, string? workerName,
        CancellationToken cancellationToken);
}
