using System.Data.Common;
using OrleansFlow.Grains.WorkPools;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.WorkPools;

/// <summary>Rows of <c>work_pools</c>, <c>work_queues</c>, <c>workers</c> and <c>flow_run_claims</c>.</summary>
internal static class WorkPoolStore
{
    public static async Task<bool> InsertPoolAsync(DbSession session, WorkPool pool, CancellationToken cancellationToken)
    {
        await using var command = BindPool(session.Named("work_pools.insert"), pool).Add("name", pool.Name).Add("type", pool.Type).Add("created", pool.Created);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public static async Task UpdatePoolAsync(DbSession session, WorkPool pool, CancellationToken cancellationToken)
    {
        await using var command = BindPool(session.Named("work_pools.update"), pool);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<WorkPool?> PoolByNameAsync(DbSession session, string name, CancellationToken cancellationToken)
    {
        await using var command = session.Named("work_pools.by_name").Add("name", name);
        return await command.FirstJsonAsync<WorkPool>(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<WorkPool?> PoolByIdAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("work_pools.by_id").Add("id", id);
        return await command.FirstJsonAsync<WorkPool>(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Locks the pool's row until the transaction ends (PostgreSQL; SQLite has one writer anyway), so claims on
    /// one pool are decided one after the other on every server.</summary>
    public static async Task LockPoolAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("work_pools.lock").Add("id", id);
        await command.ScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<bool> DeletePoolAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("work_pools.delete").Add("id", id);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public static async Task<DateTimeOffset?> LastHeartbeatAsync(DbSession session, Guid poolId, CancellationToken cancellationToken)
    {
        await using var command = session.Named("work_pools.last_heartbeat").Add("id", poolId);
        return await command.FirstOrDefaultAsync(r => Rows.NullableTime(r, 0), cancellationToken).ConfigureAwait(false);
    }

    public static async Task<bool> InsertQueueAsync(DbSession session, WorkQueue queue, CancellationToken cancellationToken)
    {
        await using var command = BindQueue(session.Named("work_queues.insert"), queue).Add("created", queue.Created);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Writes <paramref name="queue"/>; false when another queue of its pool has its name.</summary>
    public static async Task<bool> UpdateQueueAsync(DbSession session, WorkQueue queue, CancellationToken cancellationToken)
    {
        await using var command = BindQueue(session.Named("work_queues.update"), queue);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public static async Task<WorkQueue?> QueueByNameAsync(DbSession session, Guid poolId, string name, CancellationToken cancellationToken)
    {
        await using var command = session.Named("work_queues.by_name").Add("work_pool_id", poolId).Add("name", name);
        return await command.FirstJsonAsync<WorkQueue>(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<WorkQueue?> QueueByIdAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("work_queues.by_id").Add("id", id);
        return await command.FirstJsonAsync<WorkQueue>(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The queues of a pool, by priority (then name).</summary>
    public static async Task<List<WorkQueue>> QueuesOfPoolAsync(DbSession session, Guid poolId, CancellationToken cancellationToken)
    {
        await using var command = session.Named("work_queues.for_pool").Add("work_pool_id", poolId);
        return await command.ListJsonAsync<WorkQueue>(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<bool> DeleteQueueAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("work_queues.delete").Add("id", id);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Runs of each queue of the pool that hold a place under a concurrency limit: active ones and scheduled
    /// ones a worker holds a live claim on.</summary>
    public static async Task<Dictionary<Guid, int>> ActiveCountsAsync(DbSession session, Guid poolId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = session.Named("work_queues.active_counts").Add("work_pool_id", poolId).Add("now", now);
        var rows = await command.ListAsync(r => (Rows.Guid(r, 0), Convert.ToInt32(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Item1, r => r.Item2);
    }

    public static async Task<List<Grains.FlowRuns.FlowRun>> CandidatesAsync(DbSession session, Guid queueId, DateTimeOffset before, DateTimeOffset now, int limit,
        CancellationToken cancellationToken)
    {
        await using var command = session.Named("work_queues.candidates")
            .Add("work_queue_id", queueId).Add("before", before).Add("now", now).Add("limit", limit);
        return await command.ListJsonAsync<Grains.FlowRuns.FlowRun>(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Claims a run until <paramref name="until"/>; false when another live claim holds it.</summary>
    public static async Task<bool> ClaimAsync(DbSession session, Guid runId, string? worker, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = session.Named("work_queues.claim")
            .Add("flow_run_id", runId).Add("claimed_by", worker).Add("claimed_until", until).Add("now", now);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public static async Task<int> ExpireClaimsAsync(DbSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = session.Named("work_queues.expire_claims").Add("now", now);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<long> LateRunsAsync(DbSession session, Guid queueId, CancellationToken cancellationToken)
    {
        await using var command = session.Named("work_queues.late_count").Add("work_queue_id", queueId);
        return await command.CountAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task HeartbeatAsync(DbSession session, Guid poolId, string name, Guid id, DateTimeOffset now, int? intervalSeconds, CancellationToken cancellationToken)
    {
        await using var command = session.Named("workers.heartbeat").Add("work_pool_id", poolId).Add("name", name).Add("id", id).Add("now", now)
            .Add("heartbeat_interval_seconds", intervalSeconds);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<List<Worker>> WorkersAsync(DbSession session, Guid poolId, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var command = session.Named("workers.for_pool").Add("work_pool_id", poolId).Add("limit", limit).Add("offset", offset);
        return await command.ListAsync(MapWorker, cancellationToken).ConfigureAwait(false);
    }

    private static Worker MapWorker(DbDataReader reader) => new()
    {
        Id = Rows.Guid(reader, 0),
        Name = reader.GetString(1),
        WorkPoolId = Rows.Guid(reader, 2),
        Created = Rows.Time(reader, 3),
        Updated = Rows.Time(reader, 4),
        LastHeartbeatTime = Rows.Time(reader, 4),
        HeartbeatIntervalSeconds = reader.IsDBNull(5) ? null : Convert.ToInt32(reader.GetValue(5), System.Globalization.CultureInfo.InvariantCulture),
    };

    private static SqlCommand BindPool(SqlCommand command, WorkPool pool) => command
        .Add("id", pool.Id).Add("is_paused", pool.IsPaused).Add("concurrency_limit", pool.ConcurrencyLimit)
        .Add("updated", pool.Updated).AddJson("data", pool with { Status = null });

    private static SqlCommand BindQueue(SqlCommand command, WorkQueue queue) => command
        .Add("id", queue.Id).Add("work_pool_id", queue.WorkPoolId).Add("name", queue.Name).Add("priority", queue.Priority)
        .Add("is_paused", queue.IsPaused).Add("concurrency_limit", queue.ConcurrencyLimit)
        .Add("updated", queue.Updated).AddJson("data", queue with { Status = null });
}
