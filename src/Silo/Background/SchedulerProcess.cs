using OrleansFlow.Silo.Deployments;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.Background;

/// <summary>Creates the upcoming runs of every deployment with an active schedule (at least 3 runs and 1 hour ahead, at
/// most 100 runs and 100 days), each with Prefect's idempotency key, so running it twice, or on two servers, never
/// creates a duplicate. One tick runs under the <c>scheduler</c> lease.</summary>
/// <param name="silo">The runtime.</param>
/// <param name="owner">This server's lease owner id.</param>
public sealed class SchedulerProcess(OrleansFlowSilo silo, string owner) : IBackgroundProcess
{
    /// <inheritdoc />
    public string Name => "scheduler";

    /// <inheritdoc />
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        if (!await Lease.TryAcquireAsync(silo, Name, owner, Interval * 3, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var deployments = await silo.Database.ReadAsync(session => DeploymentStore.ScheduledAsync(session, cancellationToken), cancellationToken).ConfigureAwait(false);
        var catalog = new DeploymentCatalog(silo);
        var now = silo.Clock.GetUtcNow();
        var created = 0;
        foreach (var deployment in deployments)
        {
            try
            {
                created += await catalog.ScheduleRunsAsync(deployment, now, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ReferenceNotFoundException or KeyNotFoundException)
            {
                // Its flow or its work pool was deleted: it has nothing to schedule, and the others go on.
            }
        }

        return created;
    }
}
