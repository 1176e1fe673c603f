namespace OrleansFlow.Grains.Deployments;

/// <summary>A deployment's schedule, keyed by the deployment's id: an Orleans grain that holds the deployment's durable
/// reminder <c>schedule</c> while the deployment is active and has schedules, and creates its upcoming runs each time
/// the reminder fires. Calls take turns, so a refresh and a reminder tick never interleave.</summary>
[Alias("OrleansFlow.IDeploymentGrain")]
public interface IDeploymentGrain : IGrainWithGuidKey
{
    /// <summary>Looks at the deployment as stored: when it is active and has active schedules, registers its reminder (or
    /// keeps it) and creates its upcoming runs at once; when it is paused, has no active schedule or no longer exists,
    /// unregisters the reminder and deletes its future auto-scheduled runs. Called whenever a deployment is created or
    /// changed, and for every scheduled deployment when a silo starts.</summary>
    /// <param name="replaceFutureRuns">True when the schedule changed: the future auto-scheduled runs still SCHEDULED are
    /// deleted first, then made again from the new schedule.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many runs were created.</returns>
    [Idempotent, Alias("Refresh")]
    Task<int> RefreshAsync(bool replaceFutureRuns = false, CancellationToken cancellationToken = default);

    /// <summary>The deployment was deleted: unregisters its reminder and deletes its future auto-scheduled runs.</summary>
    [Idempotent, Alias("Stop")]
    Task StopAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether the deployment's reminder is registered (as the reminder table holds it).</summary>
    [Idempotent, Alias("HasReminder")]
    Task<bool> HasReminderAsync();
}
