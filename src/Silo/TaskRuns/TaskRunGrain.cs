using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;
using OrleansFlow.Silo.ConcurrencyLimits;
using OrleansFlow.Silo.FlowRuns;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.TaskRuns;

/// <summary>A task-run grain: load, decide, write in one transaction, with the concurrency slots it takes or gives back
/// and the cache entry it makes written in that same transaction.</summary>
internal sealed class TaskRunGrain(Guid id, OrleansFlowSilo silo) : ITaskRunGrain
{
    public Guid Id => id;

    public async Task<(TaskRun Run, bool Created)> CreateAsync(TaskRun run, ProposedState? initialState, CancellationToken cancellationToken)
    {
        using var turn = await silo.Turns.EnterAsync(id, cancellationToken).ConfigureAwait(false);
        return await silo.Database.WriteAsync(async session =>
        {
            if (await TaskRunStore.FindByKeyAsync(session, run, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return (existing, false);
            }

            var flowRun = (await FlowRunStore.GetAsync(session, run.FlowRunId, cancellationToken).ConfigureAwait(false))?.Run
                ?? throw new ReferenceNotFoundException("flow_run_id", $"Flow run {run.FlowRunId} was not found.");
            var now = silo.Clock.GetUtcNow();
            var created = run with { Id = id, Created = now, Updated = now };
            State? written = null;
            if (initialState is not null)
            {
                var transition = TaskRunRules.Propose(created, initialState, Context(silo, now, force: true, flowRun, null, [])).Transition;
                created = transition.Updated ?? created;
                written = transition.Written;
            }

            if (!await TaskRunStore.InsertAsync(session, created, cancellationToken).ConfigureAwait(false))
            {
                var winner = await TaskRunStore.FindByKeyAsync(session, run, cancellationToken).ConfigureAwait(false);
                return (winner ?? throw new ConcurrencyConflictException($"Task run {id} could not be created."), false);
            }

            if (written is not null)
            {
                await TaskRunStore.InsertStateAsync(session, id, written, cancellationToken).ConfigureAwait(false);
            }

            return (created, true);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<TaskRun?> GetAsync(CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session =>
            (await TaskRunStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false))?.Run, cancellationToken);

    public async Task<SetStateResult> SetStateAsync(ProposedState proposed, bool force, CancellationToken cancellationToken)
    {
        using var turn = await silo.Turns.EnterAsync(id, cancellationToken).ConfigureAwait(false);
        return await silo.Database.WriteAsync(
            session => ApplyAsync(silo, session, id, proposed, force, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads, decides and writes one proposal inside <paramref name="session"/>'s transaction. Also used by a
    /// subflow's transition to mirror its state onto its parent task run in the same transaction.</summary>
    internal static async Task<SetStateResult> ApplyAsync(OrleansFlowSilo silo, DbSession session, Guid id, ProposedState proposed, bool force, CancellationToken cancellationToken)
    {
        if (await TaskRunStore.GetWithFlowRunAsync(session, id, cancellationToken).ConfigureAwait(false) is not var (run, version, flowRun))
        {
            throw new KeyNotFoundException($"Task run {id} was not found.");
        }

        var now = silo.Clock.GetUtcNow();
        var cached = proposed is { Type: StateType.Running, StateDetails: { CacheKey: { } key, RefreshCache: not true } }
            ? await TaskRunStore.LookupCacheAsync(session, key, now, cancellationToken).ConfigureAwait(false)
            : null;
        var limits = run.Tags.Count > 0
            ? await ConcurrencyLimitStore.ForTagsAsync(session, run.Tags, cancellationToken).ConfigureAwait(false)
            : [];

        var decision = TaskRunRules.Propose(run, proposed, Context(silo, now, force, flowRun, cached, limits));
        var transition = decision.Transition;
        if (transition.Updated is { } updated && transition.Written is { } written)
        {
            await TaskRunStore.TransitionAsync(session, updated, version, written, cancellationToken).ConfigureAwait(false);
        }

        await ApplySlotsAsync(session, id, decision, limits, now, cancellationToken).ConfigureAwait(false);
        if (decision.CacheInsert is { } cacheable)
        {
            await TaskRunStore.InsertCacheAsync(session, cacheable, now, cancellationToken).ConfigureAwait(false);
        }

        return new SetStateResult(transition.Result, transition.Changed);
    }

    public async Task<bool> UpdateAsync(Func<TaskRun, TaskRun> change, CancellationToken cancellationToken)
    {
        using var turn = await silo.Turns.EnterAsync(id, cancellationToken).ConfigureAwait(false);
        return await silo.Database.WriteAsync(async session =>
        {
            if (await TaskRunStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false) is not var (run, version))
            {
                return false;
            }

            var changed = change(run) with { Id = id, Updated = silo.Clock.GetUtcNow() };
            return await TaskRunStore.UpdateAsync(session, changed, version, cancellationToken).ConfigureAwait(false)
                ? true
                : throw new ConcurrencyConflictException($"Task run {id} changed while it was being updated.");
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(CancellationToken cancellationToken)
    {
        using var turn = await silo.Turns.EnterAsync(id, cancellationToken).ConfigureAwait(false);
        return await silo.Database.WriteAsync(async session =>
        {
            if (await TaskRunStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false) is not var (run, _))
            {
                return false;
            }

            if (run.Tags.Count > 0)
            {
                var limits = await ConcurrencyLimitStore.ForTagsAsync(session, run.Tags, cancellationToken).ConfigureAwait(false);
                await ReleaseAsync(session, id, limits, silo.Clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }

            return await TaskRunStore.DeleteAsync(session, id, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ApplySlotsAsync(DbSession session, Guid id, TaskRunTransition decision, List<ConcurrencyLimit> limits, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (decision.AcquireSlots.Count > 0)
        {
            foreach (var limit in limits)
            {
                if (decision.AcquireSlots.Contains(limit.Tag) && !limit.ActiveSlots.Contains(id))
                {
                    await ConcurrencyLimitStore.SetSlotsAsync(session, limit with { ActiveSlots = [.. limit.ActiveSlots, id] }, now, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (decision.ReleaseSlots)
        {
            await ReleaseAsync(session, id, limits, now, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task ReleaseAsync(DbSession session, Guid id, List<ConcurrencyLimit> limits, DateTimeOffset now, CancellationToken cancellationToken) =>
        ConcurrencyLimitStore.ReleaseAsync(session, limits, new HashSet<Guid> { id }, now, cancellationToken);

    private static TaskRunRuleContext Context(OrleansFlowSilo silo, DateTimeOffset now, bool force, Grains.FlowRuns.FlowRun? flowRun, State? cached, IReadOnlyList<ConcurrencyLimit> limits) => new()
    {
        Now = now,
        NewStateId = silo.NewId(),
        Force = force,
        FlowRun = flowRun,
        CachedState = cached,
        ConcurrencyLimits = limits,
        JitterSample = silo.NextJitterSample(),
        TagConcurrencySlotWaitSeconds = silo.Options.TagConcurrencySlotWaitSeconds,
    };
}
