using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.WorkPools;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.WorkPools;

public sealed partial class WorkPoolCatalog
{
    private const int MaxClaim = 200;

    /// <summary>Hands out the pool's scheduled runs due before <paramref name="before"/> (any time when null): queues by
    /// priority, then runs by due time, within the queues' and the pool's concurrency limits, none from a paused queue or
    /// pool. The claim goes through the pool's grain (<see cref="IWorkPoolGrain"/>), so claims of one pool take turns in
    /// the cluster; the runs are claimed in the same write for <see cref="ClaimDuration"/>, so no other poll (on any
    /// server) hands them out meanwhile. Marks the polled queues polled; a queue polled after a quiet spell makes its
    /// deployments ready (<c>prefect.deployment.ready</c>, in the same transaction).</summary>
    /// <param name="poolName">The pool.</param>
    /// <param name="queueNames">The queues to take from; null or empty is every queue of the pool.</param>
    /// <param name="before">Only runs due before this time.</param>
    /// <param name="limit">At most this many runs (at most 200).</param>
    /// <param name="workerName">The worker asking, recorded on the claims.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Null when the pool does not exist.</returns>
    public async Task<List<ScheduledRun>?> GetScheduledFlowRunsAsync(string poolName, IReadOnlyList<string>? queueNames, DateTimeOffset? before, int? limit,
        string? workerName, CancellationToken cancellationToken) =>
        await PoolIdAsync(poolName, cancellationToken).ConfigureAwait(false) is { } poolId
            ? (await silo.WorkPool(poolId).ClaimAsync(queueNames, before, limit, workerName).WaitAsync(cancellationToken).ConfigureAwait(false)).Runs?.ToList()
            : null;

    /// <summary>Long-poll form of <see cref="GetScheduledFlowRunsAsync"/> (an OrleansFlow extension): when no run is
    /// ready, waits up to <paramref name="wait"/> for one on the pool's grain: a run created in the pool, or a run of the
    /// pool that ends (freeing a slot), wakes the poll at once whichever silo it happened on; a scheduled run wakes it
    /// when it falls due.</summary>
    /// <returns>Null when the pool does not exist; an empty list when nothing came within the wait.</returns>
    public async Task<List<ScheduledRun>?> WaitForScheduledFlowRunsAsync(string poolName, IReadOnlyList<string>? queueNames, DateTimeOffset? before,
        int? limit, string? workerName, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (await PoolIdAsync(poolName, cancellationToken).ConfigureAwait(false) is not { } poolId)
        {
            return null;
        }

        var pool = silo.WorkPool(poolId);
        var deadline = silo.Clock.GetUtcNow() + wait;
        while (true)
        {
            var claim = await pool.ClaimAsync(queueNames, before, limit, workerName).WaitAsync(cancellationToken).ConfigureAwait(false);
            var now = silo.Clock.GetUtcNow();
            if (claim.Runs is null || claim.Runs.Count > 0 || now >= deadline)
            {
                return claim.Runs?.ToList();
            }

            var nextDue = await silo.Database.ReadAsync(async session =>
            {
                await using var command = session.Named("work_queues.next_due").Add("work_pool_id", poolId);
                return await command.FirstOrDefaultAsync(r => Rows.NullableTime(r, 0), cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            // A run due already but not handed out is held by a limit or another worker's claim: look again in a second
            // (or when a run of the pool ends and frees a slot).
            var wakeAt = nextDue is { } due && due < deadline && (before is null || due <= before)
                ? (due > now ? due : Min(now + TimeSpan.FromSeconds(1), deadline))
                : deadline;
            // Grain calls stay well under Orleans' response time-out; a longer wait is several calls.
            var slice = Min(wakeAt, now + MaxGrainWait) - now + TimeSpan.FromMilliseconds(10);
            await pool.WaitForWorkAsync(claim.Generation, slice).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The longest one wait on a pool's grain lasts: well under a gateway's response time-out
    /// (<see cref="Runtime.ClientBuilderExtensions.ResponseTimeout"/>, 10 s).</summary>
    private static readonly TimeSpan MaxGrainWait = TimeSpan.FromSeconds(5);

    /// <summary>Claims in the pool with id <paramref name="poolId"/>, in one transaction with the pool's row locked (what
    /// the pool's grain runs).</summary>
    /// <returns>Null when the pool does not exist.</returns>
    internal Task<List<ScheduledRun>?> ClaimInPoolAsync(Guid poolId, IReadOnlyList<string>? queueNames, DateTimeOffset? before, int? limit,
        string? workerName, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync<List<ScheduledRun>?>(async session =>
        {
            if (await WorkPoolStore.PoolByIdAsync(session, poolId, cancellationToken).ConfigureAwait(false) is not { } pool)
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

    private Task<Guid?> PoolIdAsync(string poolName, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session => (await WorkPoolStore.PoolByNameAsync(session, poolName, cancellationToken).ConfigureAwait(false))?.Id,
            cancellationToken);

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
            if (Deployments.DeploymentCatalog.Status(queue, now) != "READY")
            {
                // The first poll after a quiet spell makes the queue's deployments ready.
                await new Deployments.DeploymentCatalog(silo).EmitReadyAsync(session, pool, queue, now, cancellationToken).ConfigureAwait(false);
            }
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
