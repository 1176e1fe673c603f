using System.Text.Json;
using OrleansFlow.Grains.Deployments;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.WorkPools;
using OrleansFlow.Silo.Events;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Silo.WorkPools;

namespace OrleansFlow.Silo.Deployments;

/// <summary>Deployments (Prefect 2.10's <c>/deployments</c>): upsert by flow and name, reads, filters, changes that
/// replace the future runs of a changed schedule, and runs created from a deployment.</summary>
public sealed partial class DeploymentCatalog(OrleansFlowSilo silo)
{
    private static readonly HashSet<string> Sections = ["flows", "flow_runs", "task_runs", "deployments", "work_pools", "work_pool_queues"];

    private static readonly Dictionary<string, string> Sorts = new()
    {
        ["CREATED_DESC"] = "created DESC, id DESC",
        ["UPDATED_DESC"] = "updated DESC, id DESC",
        ["NAME_ASC"] = "name ASC, id ASC",
        ["NAME_DESC"] = "name DESC, id DESC",
    };

    /// <summary>Creates the deployment, or replaces the one of the same flow and name (keeping its id), as Prefect's
    /// create does. The pool defaults to the default agent pool and the queue to the pool's default queue; a missing
    /// queue is created. The deployment's grain then looks at its schedule (<see cref="IDeploymentGrain.RefreshAsync"/>):
    /// it registers the schedule reminder and creates the upcoming runs; when the schedule changed, the future
    /// auto-scheduled runs are replaced. In the same transaction it emits <c>prefect.deployment.created</c>, or
    /// <c>prefect.deployment.updated</c> when a replaced deployment changed (see <see cref="DeploymentEvents"/>), and the
    /// status event of a deployment that starts, or moves to, a queue of another status.</summary>
    /// <returns>The stored deployment and true when it was created now.</returns>
    /// <exception cref="ReferenceNotFoundException">The flow does not exist.</exception>
    /// <exception cref="KeyNotFoundException">The named work pool does not exist.</exception>
    public async Task<(Deployment Deployment, bool Created)> UpsertAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var (stored, created, rescheduled) = await silo.Database.WriteAsync(async session =>
        {
            var flow = await FlowStore.GetAsync(session, deployment.FlowId, cancellationToken).ConfigureAwait(false)
                ?? throw new ReferenceNotFoundException("flow_id", $"Flow {deployment.FlowId} was not found.");
            var (placed, queue, pool) = await PlaceInAsync(session, deployment, cancellationToken).ConfigureAwait(false);
            var now = silo.Clock.GetUtcNow();
            var existing = await DeploymentStore.ByFlowAndNameAsync(session, deployment.FlowId, deployment.Name, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                var freshId = silo.NewId();
                var fresh = placed with { Id = freshId, Created = now, Updated = now, Schedules = [.. placed.Schedules.Select(s => s with { DeploymentId = freshId })] };
                if (await DeploymentStore.InsertAsync(session, fresh, queue.Id, cancellationToken).ConfigureAwait(false))
                {
                    var created = DeploymentEvents.Related(fresh, flow, queue, pool);
                    session.Emit(DeploymentEvents.Created(silo.NewId(), fresh, created, now));
                    EmitReadyIfPolled(session, fresh, created, queue, now);
                    return (fresh, true, false);
                }

                existing = await DeploymentStore.ByFlowAndNameAsync(session, deployment.FlowId, deployment.Name, cancellationToken).ConfigureAwait(false)
                    ?? throw new ConcurrencyConflictException($"Deployment {deployment.Name} could not be created.");
            }

            var replaced = placed with
            {
                Id = existing.Id, Created = existing.Created, Updated = now, Schedules = [.. placed.Schedules.Select(s => s with { DeploymentId = existing.Id })],
            };
            await DeploymentStore.UpdateAsync(session, replaced, queue.Id, cancellationToken).ConfigureAwait(false);
            var related = DeploymentEvents.Related(replaced, flow, queue, pool);
            EmitUpdated(session, existing, replaced, related, now);
            await EmitMovedAsync(session, existing, replaced, related, queue, now, cancellationToken).ConfigureAwait(false);
            return (replaced, false, ScheduleChanged(existing, replaced));
        }, cancellationToken).ConfigureAwait(false);

        await silo.Deployment(stored.Id).RefreshAsync(rescheduled, cancellationToken).ConfigureAwait(false);
        return (stored, created);
    }

    /// <summary>The deployment with <paramref name="id"/>, or null.</summary>
    public Task<Deployment?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => DeploymentStore.GetAsync(session, id, cancellationToken), cancellationToken);

    /// <summary>The deployment named <paramref name="name"/> of the flow named <paramref name="flowName"/>, or null.</summary>
    public Task<Deployment?> GetByNameAsync(string flowName, string name, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => DeploymentStore.ByNameAsync(session, flowName, name, cancellationToken), cancellationToken);

    /// <summary>Applies <paramref name="change"/> to the deployment (pool and queue are placed again), then lets its grain
    /// look at the schedule again: a changed schedule replaces the future auto-scheduled runs, a paused one drops its
    /// reminder and its future auto-scheduled runs. In the same transaction it emits <c>prefect.deployment.updated</c> when
    /// a tracked field changed (pausing and resuming change <c>paused</c>), and the status event of a move to a queue of
    /// another status.</summary>
    /// <returns>False when the deployment does not exist.</returns>
    /// <exception cref="KeyNotFoundException">The named work pool does not exist.</exception>
    public async Task<bool> UpdateAsync(Guid id, Func<Deployment, Deployment> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var (found, _, rescheduled) = await silo.Database.WriteAsync<(bool, Deployment?, bool)>(async session =>
        {
            if (await DeploymentStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false) is not { } existing)
            {
                return (false, null, false);
            }

            var (placed, queue, pool) = await PlaceInAsync(session, change(existing), cancellationToken).ConfigureAwait(false);
            var now = silo.Clock.GetUtcNow();
            var changed = placed with
            {
                Id = id, FlowId = existing.FlowId, Name = existing.Name, Created = existing.Created, Updated = now,
                Schedules = [.. placed.Schedules.Select(s => s with { DeploymentId = id })],
            };
            await DeploymentStore.UpdateAsync(session, changed, queue.Id, cancellationToken).ConfigureAwait(false);
            var flow = await FlowStore.GetAsync(session, existing.FlowId, cancellationToken).ConfigureAwait(false);
            var related = DeploymentEvents.Related(changed, flow, queue, pool);
            EmitUpdated(session, existing, changed, related, now);
            await EmitMovedAsync(session, existing, changed, related, queue, now, cancellationToken).ConfigureAwait(false);
            return (true, changed, ScheduleChanged(existing, changed));
        }, cancellationToken).ConfigureAwait(false);

        if (found)
        {
            await silo.Deployment(id).RefreshAsync(rescheduled, cancellationToken).ConfigureAwait(false);
        }

        return found;
    }

    /// <summary>Deletes the deployment, its schedule reminder and its future auto-scheduled runs, and emits
    /// <c>prefect.deployment.deleted</c> in the same transaction; false when there is none.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var deleted = await silo.Database.WriteAsync(async session =>
        {
            if (await DeploymentStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false) is not { } existing)
            {
                return false;
            }

            var deletedEvent = await DeletedEventAsync(session, existing, cancellationToken).ConfigureAwait(false);
            if (!await DeploymentStore.DeleteAsync(session, id, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            session.Emit(deletedEvent);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            await silo.Deployment(id).StopAsync(cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <summary>Deployments matching a Prefect filter body (sections <c>deployments</c>, <c>flows</c>, <c>flow_runs</c>,
    /// <c>task_runs</c>, <c>work_pools</c>, <c>work_pool_queues</c>; sort <c>NAME_ASC</c> by default; paging).</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<List<Deployment>> FilterAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, Sections, paged: true);
        var orderBy = Sorts.TryGetValue(request.Sort ?? "NAME_ASC", out var sort)
            ? sort
            : throw new FilterException(["sort"], $"value is not a valid enumeration member; permitted: {string.Join(", ", Sorts.Keys.Select(k => $"'{k}'"))}");
        var where = new SqlWhere(silo.Database.Dialect);
        var clause = Where(new FilterTranslator(where), request);
        return silo.Database.ReadAsync(async session =>
        {
            var sql = $"{SqlCatalog.Get(session.Dialect, "deployments.select")} WHERE {clause} ORDER BY {orderBy} LIMIT {where.Param(request.Limit)} OFFSET {where.Param(request.Offset)}";
            await using var command = where.Bind(session.Text(sql));
            return await command.ListJsonAsync<Deployment>(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>How many deployments match a Prefect filter body.</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<long> CountAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, Sections, paged: false);
        var where = new SqlWhere(silo.Database.Dialect);
        var clause = Where(new FilterTranslator(where), request);
        return silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text($"SELECT COUNT(*) FROM deployments WHERE {clause}"));
            return await command.CountAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>The SQL clause of a deployments filter over the <c>deployments</c> table.</summary>
    internal static string Where(FilterTranslator t, FilterRequest request)
    {
        var clauses = new List<string>();
        Add(clauses, t.Entity(request.Section("deployments"), DeploymentFilterFields.Deployments, ["deployments"]), "{0}");
        Add(clauses, t.Entity(request.Section("flows"), FilterFields.Flows, ["flows"]), "flow_id IN (SELECT id FROM flows WHERE {0})");
        Add(clauses, t.Entity(request.Section("flow_runs"), FilterFields.FlowRuns, ["flow_runs"]), "id IN (SELECT deployment_id FROM flow_runs WHERE {0})");
        Add(clauses, t.Entity(request.Section("task_runs"), FilterFields.TaskRuns, ["task_runs"]),
            "id IN (SELECT deployment_id FROM flow_runs WHERE id IN (SELECT flow_run_id FROM task_runs WHERE {0}))");
        Add(clauses, t.Entity(request.Section("work_pools"), WorkPoolFilterFields.WorkPools, ["work_pools"]), "work_pool_name IN (SELECT name FROM work_pools WHERE {0})");
        Add(clauses, t.Entity(request.Section("work_pool_queues"), WorkPoolFilterFields.WorkQueues, ["work_pool_queues"]),
            "work_queue_id IN (SELECT id FROM work_queues WHERE {0})");
        return SqlWhere.Join(clauses);
    }

    private static void Add(List<string> clauses, string? clause, string format)
    {
        if (clause is not null)
        {
            clauses.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, clause));
        }
    }

    private static bool ScheduleChanged(Deployment before, Deployment after) =>
        before.IsScheduleActive != after.IsScheduleActive
        || before.Paused != after.Paused
        || (before.Schedule?.GetRawText() ?? "null") != (after.Schedule?.GetRawText() ?? "null")
        || DescribeSchedules(before) != DescribeSchedules(after);

    /// <summary>A text that changes whenever a schedule, its activity or the set of schedules does.</summary>
    private static string DescribeSchedules(Deployment deployment) =>
        string.Join('|', deployment.Schedules.Select(s => $"{s.Id}:{s.Active}:{s.Schedule.GetRawText()}"));

    /// <summary>The <c>prefect.deployment.deleted</c> event of <paramref name="deployment"/>, with its related resources
    /// read in <paramref name="session"/>: call it before the delete (the flow may be going in the same transaction), emit
    /// it once the delete happened.</summary>
    internal async Task<Event> DeletedEventAsync(DbSession session, Deployment deployment, CancellationToken cancellationToken)
    {
        var flow = await FlowStore.GetAsync(session, deployment.FlowId, cancellationToken).ConfigureAwait(false);
        WorkPool? pool = null;
        WorkQueue? queue = null;
        if (!string.IsNullOrEmpty(deployment.WorkPoolName)
            && await WorkPoolStore.PoolByNameAsync(session, deployment.WorkPoolName, cancellationToken).ConfigureAwait(false) is { } found)
        {
            pool = found;
            queue = string.IsNullOrEmpty(deployment.WorkQueueName)
                ? null
                : await WorkPoolStore.QueueByNameAsync(session, found.Id, deployment.WorkQueueName, cancellationToken).ConfigureAwait(false);
        }

        return DeploymentEvents.Deleted(silo.NewId(), deployment, DeploymentEvents.Related(deployment, flow, queue, pool), silo.Clock.GetUtcNow());
    }

    /// <summary>Emits <c>prefect.deployment.updated</c> when a tracked field changed (<see cref="DeploymentEvents.TrackedFields"/>;
    /// pausing or resuming is a change of <c>paused</c>).</summary>
    private void EmitUpdated(DbSession session, Deployment before, Deployment after, IReadOnlyList<Resource> related, DateTimeOffset now)
    {
        if (DeploymentEvents.Updated(silo.NewId(), before, after, related, now) is { } updated)
        {
            session.Emit(updated);
        }
    }

    /// <summary>Resolves the deployment's pool and queue as <see cref="PlaceInAsync"/> does; their ids.</summary>
    private async Task<(Deployment Deployment, Guid QueueId, Guid PoolId)> PlaceAsync(DbSession session, Deployment deployment, CancellationToken cancellationToken)
    {
        var (placed, queue, pool) = await PlaceInAsync(session, deployment, cancellationToken).ConfigureAwait(false);
        return (placed, queue.Id, pool.Id);
    }

    /// <summary>Resolves the deployment's pool (default: the default agent pool) and queue (default: the pool's default
    /// queue; created when missing).</summary>
    private async Task<(Deployment Deployment, WorkQueue Queue, WorkPool Pool)> PlaceInAsync(DbSession session, Deployment deployment, CancellationToken cancellationToken)
    {
        var pools = new WorkPoolCatalog(silo);
        var poolName = string.IsNullOrEmpty(deployment.WorkPoolName) ? WorkPoolCatalog.DefaultAgentPoolName : deployment.WorkPoolName;
        var pool = await pools.PoolOrDefaultAsync(session, poolName, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Work pool '{poolName}' does not exist.");
        WorkQueue queue;
        if (string.IsNullOrEmpty(deployment.WorkQueueName))
        {
            queue = pool.DefaultQueueId is { } defaultId && await WorkPoolStore.QueueByIdAsync(session, defaultId, cancellationToken).ConfigureAwait(false) is { } found
                ? found
                : await pools.EnsureQueueAsync(session, pool, WorkPoolCatalog.DefaultQueueName, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            queue = await pools.EnsureQueueAsync(session, pool, deployment.WorkQueueName, cancellationToken).ConfigureAwait(false);
        }

        return (deployment with { WorkPoolName = pool.Name, WorkQueueName = queue.Name }, queue, pool);
    }
}
