using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.WorkPools;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.WorkPools;

public sealed partial class WorkPoolCatalog
{
    private const int MaxClaim = 200;

    /// <summary>Hands out the pool's scheduled runs due before <paramref name="before"/> (any time when null): queues by
    /// priority, then runs by due time, within the queues' and the pool's concurrency limits, none from a paused queue or
    /// pool. The runs are claimed in the same write for <see cref="ClaimDuration"/>, so no other poll (on any server)
    /// hands them out meanwhile. Marks the polled queues polled.</summary>
    /// <param name="poolName">The pool.</param>
    /// <param name="queueNames">The queues to take from; null or empty is every queue of the pool.</param>
    /// <param name="before">Only runs due before this time.</param>
    /// <param name="limit">At most this many runs (at most 200).</param>
    /// <param name="workerName">The worker asking, recorded on the claims.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Null when the pool does not exist.</returns>
    public Task<List<ScheduledRun>?> GetScheduledFlowRunsAsync(string poolName, IReadOnlyList<string>? queueNames, DateTimeOffset? before, int? limit,
        string? workerName, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync<List<ScheduledRun>?>(async session =>
        {
            if (await WorkPoolStore.PoolByNameAsync(session, poolName, cancellationToken).ConfigureAwait(false) is not { } pool)
            {
                return null;
            }

            var queues = await WorkPoolStore.QueuesOfPoolAsync(session, pool.Id, cancellationToken).ConfigureAwait(false);
            if (queueNames is { Count: > 0 })
            {
                queues = [.. queues.Where(q => queueNames.Contains(q.Name, StringComparer.Ordinal))];
            }

            return await ClaimAsync(session, pool, queues, before, limit, workerName, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Long-poll form of <see cref="GetScheduledFlowRunsAsync"/> (an OrleansFlow extension): when no run is
    /// ready, waits up to <paramref name="wait"/> for one (a run created from a deployment wakes the poll at once, on
    /// PostgreSQL whichever server created it; a scheduled run wakes it when it falls due) and tries again.</summary>
    /// <returns>Null when the pool does not exist; an empty list when nothing came within the wait.</returns>
    public async Task<List<ScheduledRun>?> WaitForScheduledFlowRunsAsync(string poolName, IReadOnlyList<string>? queueNames, DateTimeOffset? before,
        int? limit, string? workerName, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = silo.Clock.GetUtcNow() + wait;
        var signals = WorkSignal.For(silo);
        using var waiting = signals.Wait();
        while (true)
        {
            var signal = signals.Next;
            var runs = await GetScheduledFlowRunsAsync(poolName, queueNames, before, limit, workerName, cancellationToken).ConfigureAwait(false);
            var now = silo.Clock.GetUtcNow();
            if (runs is null || runs.Count > 0 || now >= deadline)
            {
                return runs;
            }

            var nextDue = await silo.Database.ReadAsync(async session =>
            {
                if (await WorkPoolStore.PoolByNameAsync(session, poolName, cancellationToken).ConfigureAwait(false) is not { } pool)
                {
                    return (DateTimeOffset?)null;
                }

                await using var command = session.Named("work_queues.next_due").Add("work_pool_id", pool.Id);
                return await command.FirstOrDefaultAsync(r => Rows.NullableTime(r, 0), cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            // A run due already but not handed out is held by a limit or another worker's claim, or was created before
            // this server listened: look again in a second.
            var wakeAt = nextDue is { } due && due < deadline && (before is null || due <= before)
                ? (due > now ? due : Min(now + TimeSpan.FromSeconds(1), deadline))
                : deadline;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(wakeAt - now + TimeSpan.FromMilliseconds(10), silo.Clock, timeout.Token);
            await Task.WhenAny(signal, delay).ConfigureAwait(false);
            await timeout.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>The legacy agent poll of one queue (<c>/work_queues/{id}/get_runs</c>): as
    /// <see cref="GetScheduledFlowRunsAsync"/> for that queue alone.</summary>
    /// <returns>Null when the queue does not exist.</returns>
    public Task<List<FlowRun>?> GetQueueRunsAsync(Guid queueId, DateTimeOffset? before, int? limit, string? agent, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync<List<FlowRun>?>(async session =>
        {
            if (await WorkPoolStore.QueueByIdAsync(session, queueId, cancellationToken).ConfigureAwait(false) is not { } queue
                || await WorkPoolStore.PoolByIdAsync(session, queue.WorkPoolId, cancellationToken).ConfigureAwait(false) is not { } pool)
            {
                return null;
            }

            var runs = await ClaimAsync(session, pool, [queue], before, limit, agent, cancellationToken).ConfigureAwait(false);
            return [.. runs.Select(r => r.FlowRun)];
        }, cancellationToken);

    private async Task<List<ScheduledRun>> ClaimAsync(DbSession session, WorkPool pool, List<WorkQueue> queues, DateTimeOffset? before, int? limit,
        string? worker, CancellationToken cancellationToken)
    {
        await WorkPoolStore.LockPoolAsync(session, pool.Id, cancellationToken).ConfigureAwait(false);
        var now = silo.Clock.GetUtcNow();
        foreach (var queue in queues)
        {
            await WorkPoolStore.UpdateQueueAsync(session, queue with { LastPolled = now }, cancellationToken).ConfigureAwait(false);
        }

        var claimed = new List<ScheduledRun>();
        if (pool.IsPaused)
        {
            return claimed;
        }

        var active = await WorkPoolStore.ActiveCountsAsync(session, pool.Id, now, cancellationToken).ConfigureAwait(false);
        var poolRemaining = WorkPoolStatus.Remaining(pool.ConcurrencyLimit, active.Values.Sum(), Math.Clamp(limit ?? MaxClaim, 0, MaxClaim));
        var dueBefore = before ?? DateTimeOffset.MaxValue.AddYears(-1);
        foreach (var queue in queues.Where(q => !q.IsPaused).OrderBy(q => q.Priority).ThenBy(q => q.Name, StringComparer.Ordinal))
        {
            var queueRemaining = WorkPoolStatus.Remaining(queue.ConcurrencyLimit, active.GetValueOrDefault(queue.Id), poolRemaining);
            if (queueRemaining == 0)
            {
                continue;
            }

            foreach (var run in await WorkPoolStore.CandidatesAsync(session, queue.Id, dueBefore, now, queueRemaining, cancellationToken).ConfigureAwait(false))
            {
                if (await WorkPoolStore.ClaimAsync(session, run.Id, worker, now + ClaimDuration, now, cancellationToken).ConfigureAwait(false))
                {
                    claimed.Add(new ScheduledRun(pool.Id, queue.Id, run));
                    poolRemaining--;
                }
            }

            if (poolRemaining == 0)
            {
                break;
            }
        }

        return claimed;
    }
}
