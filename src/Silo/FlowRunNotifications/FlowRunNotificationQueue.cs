using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Notifications;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.FlowRunNotifications;

/// <summary>Turns flow run state-change events (<c>prefect.flow-run.{state name}</c>, stored in the transaction of
/// the transition) into queued notifications: one row per matching active policy and state, written before the event
/// dispatcher moves its cursor past the events, so none is lost to a restart and none is queued twice (a row per policy
/// and state). What it queued is sent by <see cref="IFlowRunNotificationGrain"/>, which it wakes.</summary>
internal sealed class FlowRunNotificationQueue(OrleansFlowSilo silo)
{
    private const string Kind = "prefect.flow-run.";
    private const string TagPrefix = "prefect.tag.";

    /// <summary>The active policies (one read per dispatcher pass).</summary>
    public Task<List<FlowRunNotificationPolicy>> ActivePoliciesAsync(CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => FlowRunNotificationStore.ActiveAsync(session, cancellationToken), cancellationToken);

    /// <summary>Queues what <paramref name="policies"/> owe for the flow run state changes among <paramref name="events"/>,
    /// and wakes the sender when something was queued.</summary>
    /// <returns>How many notifications were queued.</returns>
    public async Task<int> EnqueueAsync(IReadOnlyList<FlowRunNotificationPolicy> policies, IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        if (policies.Count == 0)
        {
            return 0;
        }

        var owed = new List<(Guid Policy, Guid Run, Guid State)>();
        foreach (var @event in events)
        {
            if (!@event.Name.StartsWith(Kind, StringComparison.Ordinal) || @event.Id == Guid.Empty
                || !@event.Resource.Id.StartsWith(Kind, StringComparison.Ordinal)
                || !Guid.TryParse(@event.Resource.Id.AsSpan(Kind.Length), out var runId)
                || @event.Resource["prefect.state-name"] is not { } stateName)
            {
                continue;
            }

            var tags = @event.RelatedInRole("tag").Select(r => r.Id).Where(id => id.StartsWith(TagPrefix, StringComparison.Ordinal))
                .Select(id => id[TagPrefix.Length..]).ToHashSet(StringComparer.Ordinal);
            owed.AddRange(policies.Where(p => p.Matches(stateName, tags)).Select(p => (p.Id, runId, @event.Id)));
        }

        if (owed.Count == 0)
        {
            return 0;
        }

        var now = silo.Clock.GetUtcNow();
        var queued = await silo.Database.WriteAsync(async session =>
        {
            var inserted = 0;
            foreach (var (policy, run, state) in owed)
            {
                if (await FlowRunNotificationStore.EnqueueAsync(session, silo.NewId(), policy, run, state, now, cancellationToken).ConfigureAwait(false))
                {
                    inserted++;
                }
            }

            return inserted;
        }, cancellationToken).ConfigureAwait(false);
        if (queued > 0)
        {
            // One-way: the dispatcher does not wait for the sending.
            await silo.Grains.GetGrain<IFlowRunNotificationGrain>(0).WakeAsync().ConfigureAwait(false);
        }

        return queued;
    }
}
