using System.Text.Json;
using OrleansFlow.Grains.WorkPools;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.WorkPools;

/// <summary>Work pools, their queues and workers (Prefect 2.10's <c>/work_pools</c> and legacy <c>/work_queues</c>), and
/// the claim of scheduled runs by workers. Every change is one write transaction.</summary>
public sealed partial class WorkPoolCatalog(OrleansFlowSilo silo)
{
    /// <summary>The pool of legacy agents and of deployments that name no pool.</summary>
    public const string DefaultAgentPoolName = "default-agent-pool";

    /// <summary>The name of the queue every pool is created with.</summary>
    public const string DefaultQueueName = "default";

    /// <summary>How long a run handed to a worker is held for it: no other poll hands it out meanwhile.</summary>
    public static readonly TimeSpan ClaimDuration = TimeSpan.FromSeconds(30);

    private static readonly HashSet<string> PoolSections = ["work_pools"];

    /// <summary>Creates a pool with its default queue; null when the name is taken.</summary>
    public Task<WorkPool?> CreatePoolAsync(WorkPool pool, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(async session =>
            await CreatePoolAsync(session, pool, cancellationToken).ConfigureAwait(false) is { } created ? WithStatus(created, null) : null,
            cancellationToken);

    /// <summary>The pool named <paramref name="name"/> with its status, or null.</summary>
    public Task<WorkPool?> GetPoolAsync(string name, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session =>
            await WorkPoolStore.PoolByNameAsync(session, name, cancellationToken).ConfigureAwait(false) is { } pool
                ? WithStatus(pool, await WorkPoolStore.LastHeartbeatAsync(session, pool.Id, cancellationToken).ConfigureAwait(false))
                : null,
            cancellationToken);

    /// <summary>Changes the given fields of the pool named <paramref name="name"/>; false when there is none.</summary>
    public Task<bool> UpdatePoolAsync(string name, WorkPoolUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        return silo.Database.WriteAsync(async session =>
        {
            if (await WorkPoolStore.PoolByNameAsync(session, name, cancellationToken).ConfigureAwait(false) is not { } pool)
            {
                return false;
            }

            var changed = pool with
            {
                Description = update.Description ?? pool.Description,
                IsPaused = update.IsPaused ?? pool.IsPaused,
                BaseJobTemplate = update.BaseJobTemplate ?? pool.BaseJobTemplate,
                ConcurrencyLimit = update.ClearConcurrencyLimit ? null : update.ConcurrencyLimit ?? pool.ConcurrencyLimit,
                Updated = silo.Clock.GetUtcNow(),
            };
            await WorkPoolStore.UpdatePoolAsync(session, changed, cancellationToken).ConfigureAwait(false);
            if (changed.IsPaused != pool.IsPaused)
            {
                // Paused or unpaused: the status changed, so its event goes in the same transaction.
                var now = silo.Clock.GetUtcNow();
                var lastHeartbeat = await WorkPoolStore.LastHeartbeatAsync(session, pool.Id, cancellationToken).ConfigureAwait(false);
                session.Emit(Events.StatusEvents.WorkPool(silo.NewId(), changed, WorkPoolStatus.Pool(changed.IsPaused, lastHeartbeat, now), now));
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>Deletes the pool named <paramref name="name"/> with its queues and workers; false when there is none.</summary>
    public Task<bool> DeletePoolAsync(string name, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(async session =>
            await WorkPoolStore.PoolByNameAsync(session, name, cancellationToken).ConfigureAwait(false) is { } pool
            && await WorkPoolStore.DeletePoolAsync(session, pool.Id, cancellationToken).ConfigureAwait(false),
            cancellationToken);

    /// <summary>Pools matching a Prefect filter body (<c>work_pools</c>, paging), by name.</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<List<WorkPool>> FilterPoolsAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, PoolSections, paged: true);
        var where = new SqlWhere(silo.Database.Dialect);
        var clause = new FilterTranslator(where).Entity(request.Section("work_pools"), WorkPoolFilterFields.WorkPools, ["work_pools"]) ?? "1=1";
        return silo.Database.ReadAsync(async session =>
        {
            var sql = $"{SqlCatalog.Get(session.Dialect, "work_pools.select")} WHERE {clause} ORDER BY name ASC LIMIT {where.Param(request.Limit)} OFFSET {where.Param(request.Offset)}";
            List<WorkPool> pools;
            await using (var command = where.Bind(session.Text(sql)))
            {
                pools = await command.ListJsonAsync<WorkPool>(cancellationToken).ConfigureAwait(false);
            }

            var result = new List<WorkPool>(pools.Count);
            foreach (var pool in pools)
            {
                result.Add(WithStatus(pool, await WorkPoolStore.LastHeartbeatAsync(session, pool.Id, cancellationToken).ConfigureAwait(false)));
            }

            return result;
        }, cancellationToken);
    }

    /// <summary>Records a heartbeat of worker <paramref name="workerName"/> of the pool, with the worker's heartbeat interval
    /// when it says (Prefect 2.13+; null keeps the one it said before), and emits its <c>prefect.worker.heartbeat</c> event
    /// (and the pool's <c>prefect.work-pool.ready</c> when the heartbeat makes it ready) in the same transaction; false
    /// when the pool does not exist.</summary>
    public Task<bool> HeartbeatAsync(string poolName, string workerName, CancellationToken cancellationToken, int? heartbeatIntervalSeconds = null) =>
        silo.Database.WriteAsync(async session =>
        {
            if (await WorkPoolStore.PoolByNameAsync(session, poolName, cancellationToken).ConfigureAwait(false) is not { } pool)
            {
                return false;
            }

            var now = silo.Clock.GetUtcNow();
            var before = WorkPoolStatus.Pool(pool.IsPaused, await WorkPoolStore.LastHeartbeatAsync(session, pool.Id, cancellationToken).ConfigureAwait(false), now);
            await WorkPoolStore.HeartbeatAsync(session, pool.Id, workerName, silo.NewId(), now, heartbeatIntervalSeconds, cancellationToken).ConfigureAwait(false);
            if (WorkPoolStatus.Pool(pool.IsPaused, now, now) is var after && after != before)
            {
                // The first heartbeat after the workers went quiet makes the pool ready again.
                session.Emit(Events.StatusEvents.WorkPool(silo.NewId(), pool, after, now));
            }

            session.Emit(Events.WorkerEvents.Heartbeat(silo.NewId(), pool, workerName, heartbeatIntervalSeconds, now));
            return true;
        }, cancellationToken);

    /// <summary>The workers of the pool, most recent heartbeat first (<c>workers.last_heartbeat_time</c> filters, paging);
    /// null when the pool does not exist.</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<List<Worker>?> FilterWorkersAsync(string poolName, JsonElement body, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, new HashSet<string> { "workers" }, paged: true);
        var where = new SqlWhere(silo.Database.Dialect);
        var clause = new FilterTranslator(where).Entity(request.Section("workers"), WorkPoolFilterFields.Workers, ["workers"]) ?? "1=1";
        return silo.Database.ReadAsync<List<Worker>?>(async session =>
        {
            if (await WorkPoolStore.PoolByNameAsync(session, poolName, cancellationToken).ConfigureAwait(false) is not { } pool)
            {
                return null;
            }

            var now = silo.Clock.GetUtcNow();
            var workers = await WorkPoolStore.WorkersAsync(session, pool.Id, FilterRequest.MaxLimit, 0, cancellationToken).ConfigureAwait(false);
            if (clause != "1=1")
            {
                var sql = $"SELECT id FROM workers WHERE work_pool_id = {where.Param(pool.Id)} AND {clause}";
                await using var command = where.Bind(session.Text(sql));
                var ids = (await command.ListAsync(r => Rows.Guid(r, 0), cancellationToken).ConfigureAwait(false)).ToHashSet();
                workers = [.. workers.Where(w => ids.Contains(w.Id))];
            }

            return [.. workers.Skip(request.Offset).Take(request.Limit).Select(w => w with { Status = WorkPoolStatus.Worker(w.LastHeartbeatTime, now, w.HeartbeatIntervalSeconds) })];
        }, cancellationToken);
    }

    /// <summary>Creates <paramref name="pool"/> and its default queue in <paramref name="session"/>; null when the name is taken.</summary>
    internal async Task<WorkPool?> CreatePoolAsync(DbSession session, WorkPool pool, CancellationToken cancellationToken)
    {
        var now = silo.Clock.GetUtcNow();
        var queue = new WorkQueue
        {
            Id = silo.NewId(),
            Name = DefaultQueueName,
            WorkPoolId = pool.Id,
            Priority = 1,
            Description = "The work pool's default queue.",
            Created = now,
            Updated = now,
        };
        var created = pool with { Created = now, Updated = now, DefaultQueueId = queue.Id, Status = null };
        if (!await WorkPoolStore.InsertPoolAsync(session, created, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        await WorkPoolStore.InsertQueueAsync(session, queue, cancellationToken).ConfigureAwait(false);
        return created;
    }

    /// <summary>The pool named <paramref name="name"/>; the default agent pool is created when first needed.</summary>
    internal async Task<WorkPool?> PoolOrDefaultAsync(DbSession session, string name, CancellationToken cancellationToken)
    {
        if (await WorkPoolStore.PoolByNameAsync(session, name, cancellationToken).ConfigureAwait(false) is { } pool)
        {
            return pool;
        }

        return name == DefaultAgentPoolName
            ? await CreatePoolAsync(session, new WorkPool { Id = silo.NewId(), Name = name, Type = "prefect-agent" }, cancellationToken).ConfigureAwait(false)
            : null;
    }

    private WorkPool WithStatus(WorkPool pool, DateTimeOffset? lastHeartbeat) =>
        pool with { Status = WorkPoolStatus.Pool(pool.IsPaused, lastHeartbeat, silo.Clock.GetUtcNow()) };
}
