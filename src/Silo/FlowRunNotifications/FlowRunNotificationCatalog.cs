using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.FlowRunNotifications;

/// <summary>Flow run notification policies: create, read, change, delete, and Prefect's <c>/filter</c> query.</summary>
public sealed class FlowRunNotificationCatalog(OrleansFlowSilo silo)
{
    /// <summary>Creates a policy from <paramref name="policy"/> (its id and times are given here).</summary>
    public async Task<FlowRunNotificationPolicy> CreateAsync(FlowRunNotificationPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var now = silo.Clock.GetUtcNow();
        var created = policy with { Id = silo.NewId(), Created = now, Updated = now };
        await silo.Database.WriteAsync(async session =>
        {
            await FlowRunNotificationStore.InsertAsync(session, created, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return created;
    }

    /// <summary>The policy with <paramref name="id"/>, or null.</summary>
    public Task<FlowRunNotificationPolicy?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => FlowRunNotificationStore.GetAsync(session, id, cancellationToken), cancellationToken);

    /// <summary>Applies <paramref name="change"/> to the policy with <paramref name="id"/> in one transaction.</summary>
    /// <returns>The changed policy, or null when there is none.</returns>
    public Task<FlowRunNotificationPolicy?> UpdateAsync(Guid id, Func<FlowRunNotificationPolicy, FlowRunNotificationPolicy> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return silo.Database.WriteAsync(async session =>
        {
            if (await FlowRunNotificationStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false) is not { } policy)
            {
                return null;
            }

            var changed = change(policy) with { Id = policy.Id, Created = policy.Created, Updated = silo.Clock.GetUtcNow() };
            await FlowRunNotificationStore.UpdateAsync(session, changed, cancellationToken).ConfigureAwait(false);
            return changed;
        }, cancellationToken);
    }

    /// <summary>Deletes the policy with <paramref name="id"/> (what it queued and did not send yet is dropped when its
    /// turn comes); false when there is none.</summary>
    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(session => FlowRunNotificationStore.DeleteAsync(session, id, cancellationToken), cancellationToken);

    /// <summary>Policies by id (Prefect's order), only the active or only the paused ones when <paramref name="isActive"/>
    /// is set, paged.</summary>
    public Task<List<FlowRunNotificationPolicy>> FilterAsync(bool? isActive, int limit, int offset, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return silo.Database.ReadAsync(async session =>
        {
            var sql = SqlCatalog.Get(session.Dialect, "flow_run_notification_policies.select")
                + (isActive is null ? "" : " WHERE is_active = @active") + " ORDER BY id LIMIT @limit OFFSET @offset";
            await using var command = session.Text(sql);
            if (isActive is { } active)
            {
                command.Add("active", active);
            }

            command.Add("limit", limit).Add("offset", offset);
            return await command.ListAsync(FlowRunNotificationStore.Map, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }
}
