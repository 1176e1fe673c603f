using System.Security.Cryptography;
using OrleansFlow.Grains.Deployments;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Flows;
using OrleansFlow.Grains.WorkPools;
using OrleansFlow.Silo.Events;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Silo.WorkPools;

namespace OrleansFlow.Silo.Deployments;

public sealed partial class DeploymentCatalog
{
    /// <summary>How long after its queue went quiet the housekeeper still emits a deployment's
    /// <c>prefect.deployment.not-ready</c> (a housekeeper down for longer misses it).</summary>
    internal static readonly TimeSpan NotReadyWindow = TimeSpan.FromMinutes(2);

    /// <summary>A deployment's status as Prefect 3 reports it, READY or NOT_READY, follows from its work queue's polls:
    /// READY while the queue was polled in the last <see cref="WorkPoolStatus.QueueNotReadyAfter"/> (pauses aside).
    /// The status is not stored; its events are emitted where it changes: a poll after a quiet spell (see
    /// <see cref="EmitReadyAsync"/>), the end of <see cref="WorkPoolStatus.QueueNotReadyAfter"/> without a poll (see
    /// <see cref="EmitNotReadyAsync"/>), and a deployment created on, or moved to, a queue that is being polled.</summary>
    internal static string Status(WorkQueue queue, DateTimeOffset now) =>
        queue.LastPolled is { } polled && now - polled < WorkPoolStatus.QueueNotReadyAfter ? "READY" : "NOT_READY";

    /// <summary>Emits <c>prefect.deployment.ready</c> for every deployment of <paramref name="queue"/> (of
    /// <paramref name="pool"/>): the queue is being polled at <paramref name="now"/> after a quiet spell.</summary>
    internal async Task EmitReadyAsync(DbSession session, WorkPool pool, WorkQueue queue, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var flows = new Dictionary<Guid, Flow?>();
        foreach (var deployment in await DeploymentStore.OfQueueAsync(session, queue.Id, cancellationToken).ConfigureAwait(false))
        {
            var flow = await FlowOfAsync(session, flows, deployment.FlowId, cancellationToken).ConfigureAwait(false);
            session.Emit(DeploymentEvents.Status(silo.NewId(), deployment, "READY", DeploymentEvents.Related(deployment, flow, queue, pool), now));
        }
    }

    /// <summary>Emits <c>prefect.deployment.not-ready</c> for the deployments whose queue's last poll is more than
    /// <see cref="WorkPoolStatus.QueueNotReadyAfter"/> ago (and less than that plus <see cref="NotReadyWindow"/>); each
    /// event occurred when the status changed and has an id made of the deployment's id and the queue's last poll, so a
    /// later sweep (on any server) that finds it again stores nothing new. A deployment created after its queue went
    /// quiet was never ready and gets none. Called by the housekeeper's sweep.</summary>
    /// <param name="seen">Ids emitted by earlier sweeps of this process, to skip; the emitted ones are added.</param>
    /// <param name="now">The sweep's time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many events were emitted (some may already have been stored).</returns>
    internal async Task<int> EmitNotReadyAsync(ISet<Guid> seen, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seen);
        var quiet = await silo.Database.ReadAsync(async session =>
        {
            await using var command = session.Named("work_queues.select");
            var queues = await command.ListJsonAsync<WorkQueue>(cancellationToken).ConfigureAwait(false);
            return queues.Where(q => q.LastPolled is { } polled
                && now - polled >= WorkPoolStatus.QueueNotReadyAfter && now - polled < WorkPoolStatus.QueueNotReadyAfter + NotReadyWindow).ToList();
        }, cancellationToken).ConfigureAwait(false);
        if (quiet.Count == 0)
        {
            return 0;
        }

        var emitted = await silo.Database.WriteAsync(async session =>
        {
            var ids = new List<Guid>();
            var flows = new Dictionary<Guid, Flow?>();
            foreach (var seenQueue in quiet)
            {
                // Polled again since it was read: ready still, nothing to say.
                if (await WorkPoolStore.QueueByIdAsync(session, seenQueue.Id, cancellationToken).ConfigureAwait(false) is not { } queue
                    || queue.LastPolled != seenQueue.LastPolled)
                {
                    continue;
                }

                var polled = queue.LastPolled!.Value;
                var went = polled + WorkPoolStatus.QueueNotReadyAfter;
                var pool = await WorkPoolStore.PoolByIdAsync(session, queue.WorkPoolId, cancellationToken).ConfigureAwait(false);
                foreach (var deployment in await DeploymentStore.OfQueueAsync(session, queue.Id, cancellationToken).ConfigureAwait(false))
                {
                    var id = NotReadyId(deployment.Id, polled);
                    if (deployment.Created >= went || seen.Contains(id))
                    {
                        continue;
                    }

                    var flow = await FlowOfAsync(session, flows, deployment.FlowId, cancellationToken).ConfigureAwait(false);
                    session.Emit(DeploymentEvents.Status(id, deployment, "NOT_READY", DeploymentEvents.Related(deployment, flow, queue, pool), went) with
                    {
                        Received = now,
                    });
                    ids.Add(id);
                }
            }

            return ids;
        }, cancellationToken).ConfigureAwait(false);
        seen.UnionWith(emitted);
        return emitted.Count;
    }

    /// <summary>The id of a deployment's <c>not-ready</c> event after the queue poll at <paramref name="polled"/>: the
    /// same on every server and every sweep.</summary>
    internal static Guid NotReadyId(Guid deploymentId, DateTimeOffset polled)
    {
        Span<byte> input = stackalloc byte[24];
        deploymentId.TryWriteBytes(input);
        BitConverter.TryWriteBytes(input[16..], polled.UtcTicks);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        // Shaped as a version-8 (custom) RFC 9562 UUID.
        hash[7] = (byte)((hash[7] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16]);
    }

    /// <summary>Emits <c>prefect.deployment.ready</c> for a deployment just created on <paramref name="queue"/> when that
    /// queue is being polled (on a quiet queue it starts not ready, as in Prefect).</summary>
    private void EmitReadyIfPolled(DbSession session, Deployment deployment, IReadOnlyList<Resource> related, WorkQueue queue, DateTimeOffset now)
    {
        if (Status(queue, now) == "READY")
        {
            session.Emit(DeploymentEvents.Status(silo.NewId(), deployment, "READY", related, now));
        }
    }

    /// <summary>Emits the status event of a deployment moved from its queue to <paramref name="queue"/> when the move
    /// changes its status (from a polled queue to a quiet one, or the other way).</summary>
    private async Task EmitMovedAsync(DbSession session, Deployment before, Deployment after, IReadOnlyList<Resource> related, WorkQueue queue,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (before.WorkPoolName == after.WorkPoolName && before.WorkQueueName == after.WorkQueueName)
        {
            return;
        }

        var old = !string.IsNullOrEmpty(before.WorkPoolName) && !string.IsNullOrEmpty(before.WorkQueueName)
            && await WorkPoolStore.PoolByNameAsync(session, before.WorkPoolName, cancellationToken).ConfigureAwait(false) is { } oldPool
                ? await WorkPoolStore.QueueByNameAsync(session, oldPool.Id, before.WorkQueueName, cancellationToken).ConfigureAwait(false)
                : null;
        var was = old is null ? "NOT_READY" : Status(old, now);
        if (Status(queue, now) is var status && status != was)
        {
            session.Emit(DeploymentEvents.Status(silo.NewId(), after, status, related, now));
        }
    }

    private static async Task<Flow?> FlowOfAsync(DbSession session, Dictionary<Guid, Flow?> flows, Guid flowId, CancellationToken cancellationToken)
    {
        if (!flows.TryGetValue(flowId, out var flow))
        {
            flows[flowId] = flow = await FlowStore.GetAsync(session, flowId, cancellationToken).ConfigureAwait(false);
        }

        return flow;
    }
}
