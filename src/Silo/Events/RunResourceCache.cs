using System.Collections.Concurrent;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Events;

/// <summary>The related resources of a flow run's events (its flow, deployment, work queue, work pool and parent task
/// run, with their names, and the tags of the flow and deployment), read once per run in the transaction of its first
/// event and kept for a while, as Prefect does: a run's state changes would otherwise read four more rows each. An
/// entry is read again when the run's flow, deployment, queue, pool or parent change, or after
/// <see cref="TimeToLive"/>.</summary>
internal sealed class RunResourceCache(TimeProvider clock)
{
    /// <summary>How long an entry is used (Prefect's default for the same cache: 5 minutes).</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(5);

    private const int Capacity = 10_000;
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    /// <summary>The related resources of <paramref name="run"/>'s events: the cached ones (read in
    /// <paramref name="session"/> when missing or stale), then a <c>tag</c> resource per tag of the run, its flow and its
    /// deployment.</summary>
    public async Task<IReadOnlyList<Resource>> ForFlowRunAsync(DbSession session, FlowRun run, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var key = new Key(run.FlowId, run.DeploymentId, run.WorkQueueId, run.WorkPoolId, run.ParentTaskRunId);
        if (!_entries.TryGetValue(run.Id, out var entry) || entry.Key != key || now - entry.Read > TimeToLive)
        {
            entry = await ReadAsync(session, key, now, cancellationToken).ConfigureAwait(false);
            if (_entries.Count >= Capacity)
            {
                _entries.Clear();
            }

            _entries[run.Id] = entry;
        }

        return [.. entry.Resources, .. StateChangeEvents.Tags(entry.Tags.Concat(run.Tags))];
    }

    /// <summary>Forgets a run's entry (its deployment, queue or names may have changed).</summary>
    public void Forget(Guid runId) => _entries.TryRemove(runId, out _);

    private static async Task<Entry> ReadAsync(DbSession session, Key key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = session.Named("events.flow_run_related")
            .Add("flow_id", key.FlowId).Add("deployment_id", key.DeploymentId).Add("work_queue_id", key.WorkQueueId)
            .Add("work_pool_id", key.WorkPoolId).Add("parent_task_run_id", key.ParentTaskRunId);
        var entry = await command.FirstOrDefaultAsync(r =>
        {
            var resources = new List<Resource> { Resource.Related($"prefect.flow.{key.FlowId:D}", "flow", Rows.String(r, 0)) };
            var tags = new List<string>(Rows.Tags(r, 1));
            if (key.DeploymentId is { } deployment)
            {
                resources.Add(Resource.Related($"prefect.deployment.{deployment:D}", "deployment", Rows.String(r, 2)));
                tags.AddRange(Rows.Tags(r, 3));
            }

            if (key.WorkQueueId is { } queue)
            {
                resources.Add(Resource.Related($"prefect.work-queue.{queue:D}", "work-queue", Rows.String(r, 4)));
            }

            if (key.WorkPoolId is { } pool)
            {
                resources.Add(Resource.Of($"prefect.work-pool.{pool:D}", (Resource.RoleLabel, "work-pool"),
                    (Resource.NameLabel, Rows.String(r, 5)), ("prefect.work-pool.type", Rows.String(r, 6))));
            }

            if (key.ParentTaskRunId is { } parent)
            {
                resources.Add(Resource.Related($"prefect.task-run.{parent:D}", "task-run", Rows.String(r, 7)));
            }

            return new Entry(key, now, resources, tags);
        }, cancellationToken).ConfigureAwait(false);
        return entry!;
    }

    private sealed record Key(Guid FlowId, Guid? DeploymentId, Guid? WorkQueueId, Guid? WorkPoolId, Guid? ParentTaskRunId);

    private sealed record Entry(Key Key, DateTimeOffset Read, IReadOnlyList<Resource> Resources, IReadOnlyList<string> Tags);
}
