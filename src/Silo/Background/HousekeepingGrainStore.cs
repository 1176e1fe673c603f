using OrleansFlow.Grains.Housekeeping;
using OrleansFlow.Silo.Deployments;
using OrleansFlow.Silo.Events;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Silo.WorkPools;

namespace OrleansFlow.Silo.Background;

/// <summary>The housekeeper grain's store over this silo's database.</summary>
internal sealed class HousekeepingGrainStore(OrleansFlowSilo silo) : IHousekeepingStore
{
    public Task ExpireClaimsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(session => WorkPoolStore.ExpireClaimsAsync(session, now, cancellationToken), cancellationToken);

    public Task ForgetHeartbeatsAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(async session =>
        {
            await using var command = session.Named("housekeeping.forget_heartbeats").Add("before", before);
            return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<int> DeleteEventsOlderThanAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        new EventStore(silo.Database, silo.Clock).DeleteOlderThanAsync(cutoff, batchSize, cancellationToken);

    public Task<int> EmitNotReadyAsync(ISet<Guid> seen, DateTimeOffset now, CancellationToken cancellationToken) =>
        new DeploymentCatalog(silo).EmitNotReadyAsync(seen, now, cancellationToken);

    public Task<List<Guid>> LateRunsAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session =>
        {
            await using var command = session.Named("housekeeping.late_runs").Add("before", before).Add("limit", limit);
            return await command.ListAsync(r => Rows.Guid(r, 0), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<List<(string Pool, string Queue, long Runs)>> QueueDepthsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session =>
        {
            await using var command = session.Named("housekeeping.queue_depth").Add("now", now);
            return await command.ListAsync(r => (r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
}
