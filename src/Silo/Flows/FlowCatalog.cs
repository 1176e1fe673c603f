using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Flows;
using OrleansFlow.Silo.Deployments;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.TaskRuns;

namespace OrleansFlow.Silo.Flows;

/// <summary>Flows by id and by name. A flow has no transitions, so it needs no turn: its writes are single statements.</summary>
public sealed class FlowCatalog(OrleansFlowSilo silo)
{
    /// <summary>Creates the flow named <paramref name="name"/> unless it exists; returns it and whether it is new.</summary>
    public Task<(Flow Flow, bool Created)> UpsertAsync(string name, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var now = silo.Clock.GetUtcNow();
        var flow = new Flow { Id = silo.NewId(), Name = name, Tags = tags, Created = now, Updated = now };
        return silo.Database.WriteAsync(session => FlowStore.UpsertAsync(session, flow, cancellationToken), cancellationToken);
    }

    /// <summary>The flow with <paramref name="id"/>, or null.</summary>
    public Task<Flow?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => FlowStore.GetAsync(session, id, cancellationToken), cancellationToken);

    /// <summary>The flow named <paramref name="name"/>, or null.</summary>
    public Task<Flow?> GetByNameAsync(string name, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => FlowStore.GetByNameAsync(session, name, cancellationToken), cancellationToken);

    /// <summary>Replaces a flow's tags; false when it does not exist.</summary>
    public Task<bool> UpdateTagsAsync(Guid id, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(async session =>
        {
            var flow = await FlowStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false);
            return flow is not null && await FlowStore.UpdateAsync(session, flow with { Tags = tags, Updated = silo.Clock.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Deletes a flow; false when it does not exist.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        // The slots its task runs hold are given back through their limits' grains once the delete committed.
        var holders = await silo.Database.ReadAsync(session => TaskRunStore.TaggedAsync(session, "task_runs.tags_in_flow", id, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        var deleted = await silo.Database.WriteAsync(async session =>
        {
            silo.KnownFlows.TryRemove(id, out _);
            // Its deployments go with it: each one's prefect.deployment.deleted, built while the flow is still there.
            var deployments = new DeploymentCatalog(silo);
            var events = new List<Event>();
            foreach (var deployment in await DeploymentStore.OfFlowAsync(session, id, cancellationToken).ConfigureAwait(false))
            {
                events.Add(await deployments.DeletedEventAsync(session, deployment, cancellationToken).ConfigureAwait(false));
            }

            if (!await FlowStore.DeleteAsync(session, id, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            events.ForEach(session.Emit);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        await silo.Slots.ReleaseAsync(holders, cancellationToken).ConfigureAwait(false);
        return deleted;
    }
}
