using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Deployments;

/// <summary>The durable reminder of each deployment (<c>deployment_reminders</c>): when its schedule must next be looked
/// at, and which server holds it while doing so. See <see cref="Background.SchedulerProcess"/>.</summary>
internal static class DeploymentReminders
{
    /// <summary>Makes the deployment's reminder due at <paramref name="dueAt"/>, dropping any claim on it.</summary>
    public static async Task SetDueAsync(DbSession session, Guid deploymentId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        await using var command = session.Named("reminders.upsert").Add("deployment_id", deploymentId).Add("due_at", dueAt);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Claims up to <paramref name="limit"/> due reminders that no server holds, for <paramref name="owner"/> until
    /// <paramref name="leaseUntil"/>.</summary>
    /// <returns>The deployments whose reminders were claimed.</returns>
    public static async Task<List<Guid>> ClaimAsync(DbSession session, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit,
        CancellationToken cancellationToken)
    {
        await using var command = session.Named("reminders.claim")
            .Add("owner", owner).Add("now", now).Add("lease_until", leaseUntil).Add("limit", limit);
        return await command.ListAsync(r => Rows.Guid(r, 0), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases a claimed reminder, due again at <paramref name="dueAt"/> (unless the deployment changed meanwhile,
    /// which made it due at once and dropped the claim).</summary>
    public static async Task CompleteAsync(DbSession session, Guid deploymentId, string owner, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        await using var command = session.Named("reminders.complete").Add("deployment_id", deploymentId).Add("owner", owner).Add("due_at", dueAt);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the deployment's reminder.</summary>
    public static async Task DeleteAsync(DbSession session, Guid deploymentId, CancellationToken cancellationToken)
    {
        await using var command = session.Named("reminders.delete").Add("deployment_id", deploymentId);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }
}
