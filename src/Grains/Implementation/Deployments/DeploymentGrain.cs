using Microsoft.Extensions.Logging;
using OrleansFlow.Grains.Hosting;
using OrleansFlow.Grains.Orchestration;

namespace OrleansFlow.Grains.Deployments;

/// <summary>A deployment grain: while its deployment is active and has active schedules it holds the Orleans reminder
/// <see cref="ReminderName"/> (period <see cref="IGrainSettings.SchedulePeriod"/>), and each time the reminder fires it
/// creates the deployment's missing upcoming runs (<see cref="IDeploymentStore.ScheduleRunsAsync"/>). Reminders are
/// durable and owned by one silo of the cluster at a time (by the grain's hash on the ring), so when that silo dies a
/// survivor takes the reminder over. Every scheduled run carries Prefect's idempotency key, so a reminder that fires
/// twice, or on two silos while the ring settles, never makes a second run for one time.</summary>
internal sealed partial class DeploymentGrain(IGrainServices services, IDeploymentStore store, ILogger<DeploymentGrain> logger)
    : Grain, IDeploymentGrain, IRemindable
{
    /// <summary>The name of the deployment's reminder.</summary>
    public const string ReminderName = "schedule";

    // Whether this activation registered the reminder (with this silo's period).
    private bool _registered;

    private Guid Id => this.GetPrimaryKey();

    public async Task<int> RefreshAsync(bool replaceFutureRuns, CancellationToken cancellationToken)
    {
        var deployment = await store.GetAsync(Id, cancellationToken);
        if (deployment is null || DeploymentScheduling.Active(deployment).Count == 0)
        {
            await UnregisterAsync();
            await store.DeleteFutureRunsAsync(Id, cancellationToken);
            return 0;
        }

        // The first refresh of an activation registers the reminder with this silo's period (a changed SchedulePeriod
        // applies from then on); later ones register it again only when its row went missing.
        if (!_registered || await this.GetReminder(ReminderName) is null)
        {
            var period = services.Settings.SchedulePeriod;
            await this.RegisterOrUpdateReminder(ReminderName, period, period);
            _registered = true;
        }

        if (replaceFutureRuns)
        {
            await store.DeleteFutureRunsAsync(Id, cancellationToken);
        }

        return await ScheduleAsync(deployment, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await UnregisterAsync();
        await store.DeleteFutureRunsAsync(Id, cancellationToken);
        DeactivateOnIdle();
    }

    public async Task<bool> HasReminderAsync() => await this.GetReminder(ReminderName) is not null;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        try
        {
            var deployment = await store.GetAsync(Id, CancellationToken.None);
            if (deployment is null)
            {
                // Deleted while the reminder was held elsewhere: nothing to schedule, ever again.
                await UnregisterAsync();
                DeactivateOnIdle();
                return;
            }

            if (DeploymentScheduling.Active(deployment).Count == 0)
            {
                await UnregisterAsync();
                return;
            }

            var created = await ScheduleAsync(deployment, CancellationToken.None);
            Log.Fired(logger, Id, created);
        }
        catch (Exception ex)
        {
            // A row that does not read back (bad JSON written around the API) or a passing database fault: the reminder
            // fires again after its period, and the other deployments' reminders are not affected.
            Log.TickFailed(logger, ex, Id);
        }
    }

    private async Task<int> ScheduleAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ScheduleRunsAsync(deployment, services.Clock.GetUtcNow(), cancellationToken);
        }
        catch (Exception ex) when (ex is ReferenceNotFoundException or KeyNotFoundException)
        {
            // Its flow or its work pool was deleted: it has nothing to schedule.
            return 0;
        }
    }

    private async Task UnregisterAsync()
    {
        _registered = false;
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Schedule reminder of deployment {DeploymentId} created {Created} runs")]
        public static partial void Fired(ILogger logger, Guid deploymentId, int created);

        [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Schedule reminder of deployment {DeploymentId} failed; it fires again after its period")]
        public static partial void TickFailed(ILogger logger, Exception exception, Guid deploymentId);
    }
}
