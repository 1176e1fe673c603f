using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansFlow.Silo.Deployments;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.Background;

/// <summary>Fires the deployments' reminders: each tick claims the due reminders no server holds (a short lease per row,
/// so the servers of a cluster share the deployments and a dead server's claims expire), creates each deployment's
/// upcoming runs (at least 3 runs and 1 hour ahead, at most 100 runs and 100 days, each with Prefect's idempotency key, so
/// running twice, or on two servers, never creates a duplicate), and makes the reminder due again after
/// <see cref="ReminderPeriod"/>. Creating or changing a deployment makes its reminder due at once.</summary>
/// <param name="silo">The runtime.</param>
/// <param name="owner">This server's lease owner id.</param>
public sealed class SchedulerProcess(OrleansFlowSilo silo, string owner) : IBackgroundProcess
{
    private const int BatchSize = 100;

    /// <inheritdoc />
    public string Name => "scheduler";

    /// <summary>Where an object that fails a tick is reported (the tick skips it and goes on); default none.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <inheritdoc />
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long after a deployment's schedule was looked at it is looked at again; default 1 minute.</summary>
    public TimeSpan ReminderPeriod { get; init; } = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var catalog = new DeploymentCatalog(silo);
        var created = 0;
        while (true)
        {
            var now = silo.Clock.GetUtcNow();
            var due = await silo.Database.WriteAsync(
                session => DeploymentReminders.ClaimAsync(session, owner, now, now + Interval * 3, BatchSize, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            foreach (var id in due)
            {
                created += await FireAsync(catalog, id, now, cancellationToken).ConfigureAwait(false);
            }

            if (due.Count < BatchSize)
            {
                return created;
            }
        }
    }

    private async Task<int> FireAsync(DeploymentCatalog catalog, Guid deploymentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Grains.Deployments.Deployment? deployment;
        try
        {
            deployment = await catalog.GetAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not DbException)
        {
            // A row that does not read back (bad JSON written around the API) is skipped until it is fixed or deleted.
            BackgroundLog.Skipped(Logger, ex, Name, "deployment", deploymentId);
            await CompleteAsync(deploymentId, now, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        if (deployment is null)
        {
            await silo.Database.WriteAsync(async session =>
            {
                await DeploymentReminders.DeleteAsync(session, deploymentId, cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        var created = 0;
        try
        {
            created = await catalog.ScheduleRunsAsync(deployment, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ReferenceNotFoundException or KeyNotFoundException)
        {
            // Its flow or its work pool was deleted: it has nothing to schedule, and the others go on.
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // One deployment that cannot be scheduled must not stop the others: its reminder comes due again later.
            BackgroundLog.Skipped(Logger, ex, Name, "deployment", deploymentId);
        }

        await CompleteAsync(deploymentId, now, cancellationToken).ConfigureAwait(false);
        return created;
    }

    private Task<bool> CompleteAsync(Guid deploymentId, DateTimeOffset now, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(async session =>
        {
            await DeploymentReminders.CompleteAsync(session, deploymentId, owner, now + ReminderPeriod, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
}
