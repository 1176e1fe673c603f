using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Hosting;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.TaskRuns;

/// <summary>The task-run grain's store over this silo's database: <see cref="TaskRunStore"/>'s rows.</summary>
internal sealed class TaskRunGrainStore : ITaskRunStore
{
    public Task<bool> CreateAsync(IGrainTransaction transaction, TaskRun run, State? first, CancellationToken cancellationToken) =>
        TaskRunStore.CreateAsync(DbSession.Of(transaction), run, first, cancellationToken);

    public Task<TaskRun?> FindByKeyAsync(IGrainTransaction transaction, TaskRun run, CancellationToken cancellationToken) =>
        TaskRunStore.FindByKeyAsync(DbSession.Of(transaction), run, cancellationToken);

    public Task<(TaskRun Run, long Version)?> GetAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken) =>
        TaskRunStore.GetAsync(DbSession.Of(transaction), id, cancellationToken);

    public Task<(TaskRun Run, long Version, FlowRun? FlowRun)?> GetWithFlowRunAsync(IGrainTransaction transaction, Guid id,
        CancellationToken cancellationToken) =>
        TaskRunStore.GetWithFlowRunAsync(DbSession.Of(transaction), id, cancellationToken);

    public Task<bool> UpdateAsync(IGrainTransaction transaction, TaskRun run, long expectedVersion, CancellationToken cancellationToken) =>
        TaskRunStore.UpdateAsync(DbSession.Of(transaction), run, expectedVersion, cancellationToken);

    public Task TransitionAsync(IGrainTransaction transaction, TaskRun run, long expectedVersion, State written, CancellationToken cancellationToken) =>
        TaskRunStore.TransitionAsync(DbSession.Of(transaction), run, expectedVersion, written, cancellationToken);

    public Task<bool> DeleteAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken) =>
        TaskRunStore.DeleteAsync(DbSession.Of(transaction), id, cancellationToken);

    public Task<State?> LookupCacheAsync(IGrainTransaction transaction, string cacheKey, DateTimeOffset now, CancellationToken cancellationToken) =>
        TaskRunStore.LookupCacheAsync(DbSession.Of(transaction), cacheKey, now, cancellationToken);

    public Task InsertCacheAsync(IGrainTransaction transaction, State state, DateTimeOffset now, CancellationToken cancellationToken) =>
        TaskRunStore.InsertCacheAsync(DbSession.Of(transaction), state, now, cancellationToken);
}
