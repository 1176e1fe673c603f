using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Hosting;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Silo.TaskRuns;

namespace OrleansFlow.Silo.FlowRuns;

/// <summary>The flow-run grain's store over this silo's database: <see cref="FlowRunStore"/>'s rows, the heartbeats, and
/// the related resources cached by <see cref="OrleansFlowSilo.RunResources"/>. A flow found to exist is remembered for
/// the process (<see cref="OrleansFlowSilo.KnownFlows"/>), so that creating runs checks their flow once.</summary>
internal sealed class FlowRunGrainStore(OrleansFlowSilo silo) : IFlowRunStore
{
    public async Task<bool> FlowExistsAsync(IGrainTransaction transaction, Guid flowId, CancellationToken cancellationToken)
    {
        if (silo.KnownFlows.ContainsKey(flowId))
        {
            return true;
        }

        if (!await FlowStore.ExistsAsync(DbSession.Of(transaction), flowId, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        silo.KnownFlows.TryAdd(flowId, 0);
        return true;
    }

    public Task<bool> CreateAsync(IGrainTransaction transaction, FlowRun run, State? first, CancellationToken cancellationToken) =>
        FlowRunStore.CreateAsync(DbSession.Of(transaction), run, first, cancellationToken);

    public Task<(FlowRun Run, long Version)?> GetAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken) =>
        FlowRunStore.GetAsync(DbSession.Of(transaction), id, cancellationToken);

    public Task<FlowRun?> FindByIdempotencyKeyAsync(IGrainTransaction transaction, Guid flowId, string key, CancellationToken cancellationToken) =>
        FlowRunStore.FindByIdempotencyKeyAsync(DbSession.Of(transaction), flowId, key, cancellationToken);

    public Task<bool> UpdateAsync(IGrainTransaction transaction, FlowRun run, long expectedVersion, CancellationToken cancellationToken) =>
        FlowRunStore.UpdateAsync(DbSession.Of(transaction), run, expectedVersion, cancellationToken);

    public Task TransitionAsync(IGrainTransaction transaction, FlowRun run, long expectedVersion, State written, CancellationToken cancellationToken) =>
        FlowRunStore.TransitionAsync(DbSession.Of(transaction), run, expectedVersion, written, cancellationToken);

    public Task<bool> DeleteAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken) =>
        FlowRunStore.DeleteAsync(DbSession.Of(transaction), id, cancellationToken);

    public Task<List<(Guid Id, IReadOnlyList<string> Tags)>> TaggedTaskRunsAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken) =>
        TaskRunStore.TaggedAsync(DbSession.Of(transaction), "task_runs.tags_in_flow_run", id, cancellationToken);

    public Task<IReadOnlyList<Resource>> RelatedResourcesAsync(IGrainTransaction transaction, FlowRun run, CancellationToken cancellationToken) =>
        silo.RunResources.ForFlowRunAsync(DbSession.Of(transaction), run, cancellationToken);

    public void ForgetRelatedResources(Guid id) => silo.RunResources.Forget(id);

    public async Task<bool> RecordHeartbeatAsync(IGrainTransaction transaction, Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = DbSession.Of(transaction).Named("heartbeats.record").Add("id", id).Add("now", now);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<DateTimeOffset?> LastHeartbeatAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken)
    {
        await using var command = DbSession.Of(transaction).Named("heartbeats.last").Add("id", id);
        return await command.FirstOrDefaultAsync<DateTimeOffset?>(r => Rows.Time(r, 0), cancellationToken).ConfigureAwait(false);
    }

    public async Task<List<Guid>> RunningTaskRunsAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken)
    {
        await using var command = DbSession.Of(transaction).Named("heartbeats.running_task_runs").Add("id", id);
        return await command.ListAsync(r => Rows.Guid(r, 0), cancellationToken).ConfigureAwait(false);
    }
}
