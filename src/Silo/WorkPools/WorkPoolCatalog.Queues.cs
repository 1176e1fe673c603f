using System.Text.Json;
using OrleansFlow.Grains.WorkPools;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.WorkPools;

public sealed partial class WorkPoolCatalog
{
    private static readonly HashSet<string> QueueSections = ["work_queues"];

    /// <summary>Creates a queue in the pool named <paramref name="poolName"/> (the default agent pool is created when
    /// named). A queue without a priority goes after the pool's others. Null pool: it does not exist; null queue: the
    /// name is taken in that pool.</summary>
    public Task<(WorkPool? Pool, WorkQueue? Queue)> CreateQueueAsync(string poolName, WorkQueue queue, bool priorityGiven, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync<(WorkPool?, WorkQueue?)>(async session =>
        {
            if (await PoolOrDefaultAsync(session, poolName, cancellationToken).ConfigureAwait(false) is not { } pool)
            {
                return (null, null);
            }

            var now = silo.Clock.GetUtcNow();
            var priority = queue.Priority;
            if (!priorityGiven)
            {
                var queues = await WorkPoolStore.QueuesOfPoolAsync(session, pool.Id, cancellationToken).ConfigureAwait(false);
                priority = queues.Count == 0 ? 1 : queues.Max(q => q.Priority) + 1;
            }

            var created = queue with { Id = silo.NewId(), WorkPoolId = pool.Id, Priority = priority, Created = now, Updated = now };
            return await WorkPoolStore.InsertQueueAsync(session, created, cancellationToken).ConfigureAwait(false)
                ? (pool, WithStatus(created, pool))
                : (pool, null);
        }, cancellationToken);

    /// <summary>The queue named <paramref name="name"/> of the pool, or null (also when the pool does not exist).</summary>
    public Task<WorkQueue?> GetQueueAsync(string poolName, string name, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session =>
            await WorkPoolStore.PoolByNameAsync(session, poolName, cancellationToken).ConfigureAwait(false) is { } pool
            && await WorkPoolStore.QueueByNameAsync(session, pool.Id, name, cancellationToken).ConfigureAwait(false) is { } queue
                ? WithStatus(queue, pool)
                : null,
            cancellationToken);

    /// <summary>The queue with <paramref name="id"/>, or null.</summary>
    public Task<WorkQueue?> GetQueueByIdAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session =>
            await WorkPoolStore.QueueByIdAsync(session, id, cancellationToken).ConfigureAwait(false) is { } queue
                ? WithStatus(queue, await WorkPoolStore.PoolByIdAsync(session, queue.WorkPoolId, cancellationToken).ConfigureAwait(false))
                : null,
            cancellationToken);

    /// <summary>Changes the queue named <paramref name="name"/> of the pool.</summary>
    public Task<WorkPoolChange> UpdateQueueAsync(string poolName, string name, WorkQueueUpdate update, CancellationToken cancellationToken) =>
        ChangeQueueAsync(async session =>
            await WorkPoolStore.PoolByNameAsync(session, poolName, cancellationToken).ConfigureAwait(false) is { } pool
                ? await WorkPoolStore.QueueByNameAsync(session, pool.Id, name, cancellationToken).ConfigureAwait(false)
                : null,
            update, cancellationToken);

    /// <summary>Changes the queue with <paramref name="id"/>.</summary>
    public Task<WorkPoolChange> UpdateQueueByIdAsync(Guid id, WorkQueueUpdate update, CancellationToken cancellationToken) =>
        ChangeQueueAsync(session => WorkPoolStore.QueueByIdAsync(session, id, cancellationToken), update, cancellationToken);

    /// <summary>Deletes the queue named <paramref name="name"/> of the pool; false when there is none. A pool's default
    /// queue cannot be deleted.</summary>
    /// <exception cref="InvalidOperationException">The queue is its pool's default queue.</exception>
    public Task<bool> DeleteQueueAsync(string poolName, string name, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(async session =>
        {
            if (await WorkPoolStore.PoolByNameAsync(session, poolName, cancellationToken).ConfigureAwait(false) is not { } pool
                || await WorkPoolStore.QueueByNameAsync(session, pool.Id, name, cancellationToken).ConfigureAwait(false) is not { } queue)
            {
                return false;
            }

            return queue.Id == pool.DefaultQueueId
                ? throw new InvalidOperationException("Can't delete a pool's default queue.")
                : await WorkPoolStore.DeleteQueueAsync(session, queue.Id, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Deletes the queue with <paramref name="id"/>; false when there is none.</summary>
    /// <exception cref="InvalidOperationException">The queue is its pool's default queue.</exception>
    public Task<bool> DeleteQueueByIdAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(async session =>
        {
            if (await WorkPoolStore.QueueByIdAsync(session, id, cancellationToken).ConfigureAwait(false) is not { } queue)
            {
                return false;
            }

            var pool = await WorkPoolStore.PoolByIdAsync(session, queue.WorkPoolId, cancellationToken).ConfigureAwait(false);
            return pool?.DefaultQueueId == id
                ? throw new InvalidOperationException("Can't delete a pool's default queue.")
                : await WorkPoolStore.DeleteQueueAsync(session, id, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Queues matching a Prefect filter body (<c>work_queues</c>, paging), of the pool named
    /// <paramref name="poolName"/> or of every pool when it is null; by priority, then name. Null when the pool does
    /// not exist.</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<List<WorkQueue>?> FilterQueuesAsync(string? poolName, JsonElement body, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, QueueSections, paged: true);
        var where = new SqlWhere(silo.Database.Dialect);
        var clause = new FilterTranslator(where).Entity(request.Section("work_queues"), WorkPoolFilterFields.WorkQueues, ["work_queues"]) ?? "1=1";
        return silo.Database.ReadAsync<List<WorkQueue>?>(async session =>
        {
            WorkPool? pool = null;
            if (poolName is not null && (pool = await WorkPoolStore.PoolByNameAsync(session, poolName, cancellationToken).ConfigureAwait(false)) is null)
            {
                return null;
            }

            var scope = pool is null ? "" : $" AND work_pool_id = {where.Param(pool.Id)}";
            var sql = $"{SqlCatalog.Get(session.Dialect, "work_queues.select")} WHERE {clause}{scope} ORDER BY priority ASC, name ASC LIMIT {where.Param(request.Limit)} OFFSET {where.Param(request.Offset)}";
            await using var command = where.Bind(session.Text(sql));
            var queues = await command.ListJsonAsync<WorkQueue>(cancellationToken).ConfigureAwait(false);
            var pools = new Dictionary<Guid, WorkPool?>();
            var result = new List<WorkQueue>(queues.Count);
            foreach (var queue in queues)
            {
                if (!pools.TryGetValue(queue.WorkPoolId, out var owner))
                {
                    pools[queue.WorkPoolId] = owner = await WorkPoolStore.PoolByIdAsync(session, queue.WorkPoolId, cancellationToken).ConfigureAwait(false);
                }

                result.Add(WithStatus(queue, owner));
            }

            return result;
        }, cancellationToken);
    }

    /// <summary>Whether the queue is healthy (polled recently, not paused, no late runs), Prefect's legacy status.</summary>
    /// <returns>Null when the queue does not exist.</returns>
    public Task<WorkQueueHealth?> QueueHealthAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session =>
        {
            if (await WorkPoolStore.QueueByIdAsync(session, id, cancellationToken).ConfigureAwait(false) is not { } queue)
            {
                return null;
            }

            var late = await WorkPoolStore.LateRunsAsync(session, id, cancellationToken).ConfigureAwait(false);
            var recent = queue.LastPolled is { } polled && silo.Clock.GetUtcNow() - polled < WorkPoolStatus.QueueNotReadyAfter;
            return new WorkQueueHealth(!queue.IsPaused && recent && late == 0, late, queue.LastPolled);
        }, cancellationToken);

    /// <summary>The queue named <paramref name="name"/> of <paramref name="pool"/>, created (after the others) when missing.</summary>
    internal async Task<WorkQueue> EnsureQueueAsync(DbSession session, WorkPool pool, string name, CancellationToken cancellationToken)
    {
        if (await WorkPoolStore.QueueByNameAsync(session, pool.Id, name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var now = silo.Clock.GetUtcNow();
        var queues = await WorkPoolStore.QueuesOfPoolAsync(session, pool.Id, cancellationToken).ConfigureAwait(false);
        var priority = pool.Name == DefaultAgentPoolName || queues.Count == 0 ? 1 : queues.Max(q => q.Priority) + 1;
        var queue = new WorkQueue { Id = silo.NewId(), Name = name, WorkPoolId = pool.Id, Priority = priority, Created = now, Updated = now };
        return await WorkPoolStore.InsertQueueAsync(session, queue, cancellationToken).ConfigureAwait(false)
            ? queue
            : await WorkPoolStore.QueueByNameAsync(session, pool.Id, name, cancellationToken).ConfigureAwait(false) ?? queue;
    }

    private Task<WorkPoolChange> ChangeQueueAsync(Func<DbSession, Task<WorkQueue?>> find, WorkQueueUpdate update, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(async session =>
        {
            if (await find(session).ConfigureAwait(false) is not { } queue)
            {
                return WorkPoolChange.NotFound;
            }

            var changed = queue with
            {
                Name = update.Name ?? queue.Name,
                Description = update.Description ?? queue.Description,
                IsPaused = update.IsPaused ?? queue.IsPaused,
                ConcurrencyLimit = update.ClearConcurrencyLimit ? null : update.ConcurrencyLimit ?? queue.ConcurrencyLimit,
                Priority = update.Priority ?? queue.Priority,
                Filter = update.Filter ?? queue.Filter,
                Updated = silo.Clock.GetUtcNow(),
            };
            if (!await WorkPoolStore.UpdateQueueAsync(session, changed, cancellationToken).ConfigureAwait(false))
            {
                return WorkPoolChange.NameTaken;
            }

            if (changed.IsPaused != queue.IsPaused)
            {
                // Paused or unpaused: the status changed, so its event goes in the same transaction.
                var pool = await WorkPoolStore.PoolByIdAsync(session, queue.WorkPoolId, cancellationToken).ConfigureAwait(false);
                var now = silo.Clock.GetUtcNow();
                var status = WorkPoolStatus.Queue(changed.IsPaused || pool?.IsPaused == true, changed.LastPolled, now);
                session.Emit(Events.StatusEvents.WorkQueue(silo.NewId(), changed, pool, status, now));
            }

            return WorkPoolChange.Updated;
        }, cancellationToken);

    private WorkQueue WithStatus(WorkQueue queue, WorkPool? pool) =>
        queue with { Status = WorkPoolStatus.Queue(queue.IsPaused || pool?.IsPaused == true, queue.LastPolled, silo.Clock.GetUtcNow()) };
}
