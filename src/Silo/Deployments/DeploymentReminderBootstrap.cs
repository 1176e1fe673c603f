using Microsoft.Extensions.Logging;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Deployments;

/// <summary>When a silo becomes active, refreshes every deployment whose schedule is active
/// (<see cref="Grains.Deployments.IDeploymentGrain.RefreshAsync"/>): a deployment created before its schedule became an
/// Orleans reminder (an upgrade), or whose reminder row went missing, gets its reminder back and its upcoming runs at
/// once. A refresh of a deployment that has its reminder only makes the runs that are missing, so every silo of a
/// cluster doing this at its start is harmless. One deployment that fails is logged and skipped.</summary>
/// <param name="silo">The runtime.</param>
/// <param name="logger">Where a failed refresh is reported.</param>
internal sealed partial class DeploymentReminderBootstrap(OrleansFlowSilo silo, ILogger<DeploymentReminderBootstrap> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int Parallelism = 8;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DeploymentReminderBootstrap), ServiceLifecycleStage.Active, RefreshAllAsync, _ => Task.CompletedTask);

    /// <summary>Refreshes every deployment whose schedule is active.</summary>
    /// <returns>How many deployments were refreshed without error.</returns>
    internal async Task<int> RefreshAllAsync(CancellationToken cancellationToken)
    {
        var ids = await silo.Database.ReadAsync(async session =>
        {
            await using var command = session.Named("deployments.scheduled_ids");
            return await command.ListAsync(r => Rows.Guid(r, 0), cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        var refreshed = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(ids, options, async (id, token) =>
        {
            try
            {
                await silo.Deployment(id).RefreshAsync(replaceFutureRuns: false, token).ConfigureAwait(false);
                Interlocked.Increment(ref refreshed);
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                Log.RefreshFailed(logger, ex, id);
            }
        }).ConfigureAwait(false);
        return refreshed;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4103, Level = LogLevel.Error, Message = "Deployment {DeploymentId} could not be given its schedule reminder at start-up")]
        public static partial void RefreshFailed(ILogger logger, Exception exception, Guid deploymentId);
    }
}
