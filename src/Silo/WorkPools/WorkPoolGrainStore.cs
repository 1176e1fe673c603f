using OrleansFlow.Grains.WorkPools;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.WorkPools;

/// <summary>The work-pool grain's store over this silo's database: the claims of <see cref="WorkPoolCatalog"/>.</summary>
internal sealed class WorkPoolGrainStore(OrleansFlowSilo silo) : IWorkPoolStore
{
    public Task<List<ScheduledRun>?> ClaimAsync(Guid poolId, IReadOnlyList<string>? queueNames, DateTimeOffset? before, int? limit, string? workerName,
        CancellationToken cancellationToken) =>
        new WorkPoolCatalog(silo).ClaimInPoolAsync(poolId, queueNames, before, limit, workerName, cancellationToken);
}
