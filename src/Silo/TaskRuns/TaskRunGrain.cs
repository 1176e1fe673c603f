using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Grains.FlowRuns;
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
        var result = await silo.Database.WriteAsync(session => CreateInAsync(session, run, initialState, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        if (result.Created)
        {
            silo.TaskRunStates.Set(id, result.Run, 1);
        }

        return result;
    }

    public async Task<(TaskRun Run, bool Created, SetStateResult Answer)> BeginAsync(TaskRun run, ProposedState? initialState, ProposedState proposed,
        CancellationToken cancellationToken)
    {
        TaskRun existing;
        using (await silo.Turns.EnterAsync(id, cancellationToken).ConfigureAwait(false))
        {
            var (stored, applied) = await silo.Database.WriteAsync(async session =>
            {
                var (created, isNew) = await CreateInAsync(session, run, initialState, cancellationToken).ConfigureAwait(false);
                return isNew
                    ? (created, await ApplyAsync(silo, session, id, proposed, false, (created, 1), cancellationToken).ConfigureAwait(false))
                    : (created, (Applied?)null);
            }, cancellationToken).ConfigureAwait(false);
            if (applied is not null)
            {
                Remember(applied);
                return (applied.Run, true, applied.Result);
            }

            existing = stored;
        }

        // The flow run already had this task run: propose to it, in its own turn.
        var grain = silo.TaskRun(existing.Id);
        var answer = await grain.SetStateAsync(proposed, false, cancellationToken).ConfigureAwait(false);
        return (await grain.GetAsync(cancellationToken).ConfigureAwait(false) ?? existing, false, answer);
    }

    public Task<TaskRun?> GetAsync(CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session =>
            (await TaskRunStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false))?.Run, cancellationToken);

    public async Task<SetStateResult> SetStateAsync(ProposedState proposed, bool force, CancellationToken cancellationToken)
    {
        using var turn = await silo.Turns.EnterAsync(id, cancellationToken).ConfigureAwait(false);
        var applied = await silo.Database.WriteAsync(
            session => ApplyAsync(silo, session, id, proposed, force, silo.TaskRunStates.TryGet(id, out var run, out var version) ? (run, version) : null, cancellationToken),
            cancellationToken).ConfigureAwait(false);

        Remember(applied);
        return applied.Result;
    }

    /// <summary>Creates the run inside <paramref name="session"/>'s transaction, or finds the flow run's task run with the same
    /// task key and dynamic key.</summary>
    private async Task<(TaskRun Run, bool Created)> CreateInAsync(DbSession session, TaskRun run, ProposedState? initialState,
        CancellationToken cancellationToken)
    {
        if (!silo.FlowRunStates.TryGet(run.FlowRunId, out var flowRun, out _))
        {
            flowRun = (await FlowRunStore.GetAsync(session, run.FlowRunId, cancellationToken).ConfigureAwait(false))?.Run
                ?? throw new ReferenceNotFoundException("flow_run_id", $"Flow run {run.FlowRunId} was not found.");
        }

        var now = silo.Clock.GetUtcNow();
        var created = run with { Id = id, Created = now, Updated = now };
        State? written = null;
        if (initialState is not null)
        {
            var transition = TaskRunRules.Propose(created, initialState, Context(silo, now, force: true, flowRun, null, [])).Transition;
            created = transition.Updated ?? created;
            written = transition.Written;
        }

        if (!await TaskRunStore.CreateAsync(session, created, written, cancellationToken).ConfigureAwait(false))
        {
            // The flow run already has this task run (same task and dynamic key): that run is the answer.
            var existing = await TaskRunStore.FindByKeyAsync(session, run, cancellationToken).ConfigureAwait(false);
            return (existing ?? throw new ConcurrencyConflictException($"Task run {id} could not be created."), false);
        }

        return (created, true);
    }

    /// <summary>Committed: keeps the states for the next calls.</summary>
    private void Remember(Applied applied)
    {
        silo.TaskRunStates.Set(id, applied.Run, applied.Version);
        if (applied.FlowRun is { } flowRun)
        {
            silo.FlowRunStates.Set(flowRun.Run.Id, flowRun.Run, flowRun.Version);
        }
    }

    /// <summary>Loads (unless <paramref name="cached"/> holds the run's state), decides and writes one proposal inside
    /// <paramref name="session"/>'s transaction. Also used by a subflow's transition to mirror its state onto its parent
    /// task run in the same transaction.</summary>
    /// <returns>The answer, the run's state and version afterwards, and the flow run if it was read from the database.</returns>
    internal static async Task<Applied> ApplyAsync(OrleansFlowSilo silo, DbSession session, Guid id, ProposedState proposed, bool force,
        (TaskRun Run, long Version)? cached, CancellationToken cancellationToken)
    {
        TaskRun run;
        long version;
        FlowRun? flowRun;
        (FlowRun Run, long Version)? flowRunRead = null;
        if (cached is { } state)
        {
            (run, version) = state;
            if (!silo.FlowRunStates.TryGet(run.FlowRunId, out flowRun, out _))
            {
                flowRunRead = await FlowRunStore.GetAsync(session, run.FlowRunId, cancellationToken).ConfigureAwait(false);
                flowRun = flowRunRead?.Run;
            }
        }
        else
        {
            (run, version, flowRun) = await TaskRunStore.GetWithFlowRunAsync(session, id, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException($"Task run {id} was not found.");
        }

        var now = silo.Clock.GetUtcNow();
        var cachedResult = proposed is { Type: StateType.Running, StateDetails: { CacheKey: { } key, RefreshCache: not true } }
            ? await TaskRunStore.LookupCacheAsync(session, key, now, cancellationToken).ConfigureAwait(false)
            : null;
        var limits = run.Tags.Count > 0
            ? await ConcurrencyLimitStore.ForTagsAsync(session, run.Tags, cancellationToken).ConfigureAwait(false)
            : [];

        var decision = TaskRunRules.Propose(run, proposed, Context(silo, now, force, flowRun, cachedResult, limits));
        var transition = decision.Transition;
        if (transition.Updated is { } updated && transition.Written is { } written)
        {
            try
            {
                await TaskRunStore.TransitionAsync(session, updated, version, written, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException)
            {
                // Another server or process wrote first: forget the stale state; the unit runs again on fresh data.
                silo.TaskRunStates.Remove(id);
                throw;
            }

            (run, version) = (updated, version + 1);
        }

        await ApplySlotsAsync(session, id, decision, limits, now, cancellationToken).ConfigureAwait(false);
        if (decision.CacheInsert is { } cacheable)
        {
            await TaskRunStore.InsertCacheAsync(session, cacheable, now, cancellationToken).ConfigureAwait(false);
        }

        return new Applied(new SetStateResult(transition.Result, transition.Changed), run, version, flowRunRead);
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
            silo.TaskRunStates.Remove(id);
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
            silo.TaskRunStates.Remove(id);
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

    /// <summary>What <see cref="ApplyAsync"/> did.</summary>
    internal sealed record Applied(SetStateResult Result, TaskRun Run, long Version, (FlowRun Run, long Version)? FlowRun);

    private static TaskRunRuleContext Context(OrleansFlowSilo silo, DateTimeOffset now, bool force, FlowRun? flowRun, State? cached, IReadOnlyList<ConcurrencyLimit> limits) => new()
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
