using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.ConcurrencyLimits;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Silo.TaskRuns;

namespace OrleansFlow.Silo.FlowRuns;

/// <summary>A flow-run grain: every call takes the key's turn, then loads (from its in-memory activation state when it
/// has one), decides (pure rules) and writes in one transaction. The write is conditional on the row version that was
/// read, so no two servers can both apply a transition: the loser's call runs again on the new state.</summary>
internal sealed class FlowRunGrain(Guid id, OrleansFlowSilo silo) : IFlowRunGrain
{
    public Guid Id => id;

    public async Task<(FlowRun Run, bool Created)> CreateAsync(FlowRun run, ProposedState? initialState, CancellationToken cancellationToken)
    {
        using var turn = await silo.Turns.EnterAsync(id, cancellationToken).ConfigureAwait(false);
        var result = await silo.Database.WriteAsync(async session =>
        {
            if (!silo.KnownFlows.ContainsKey(run.FlowId))
            {
                if (!await FlowStore.ExistsAsync(session, run.FlowId, cancellationToken).ConfigureAwait(false))
                {
                    throw new ReferenceNotFoundException("flow_id", $"Flow {run.FlowId} was not found.");
                }

                silo.KnownFlows.TryAdd(run.FlowId, 0);
            }

            var now = silo.Clock.GetUtcNow();
            var created = run with { Id = id, Created = now, Updated = now };
            State? written = null;
            if (initialState is not null)
            {
                var transition = FlowRunRules.Propose(created, initialState, Context(now, force: true));
                created = transition.Updated ?? created;
                written = transition.Written;
            }

            if (!await FlowRunStore.CreateAsync(session, created, written, cancellationToken).ConfigureAwait(false))
            {
                // The flow already has a run with this idempotency key: that run is the answer.
                var existing = await FlowRunStore.FindByIdempotencyKeyAsync(session, run.FlowId, run.IdempotencyKey!, cancellationToken).ConfigureAwait(false);
                return (existing ?? throw new ConcurrencyConflictException($"Flow run {id} could not be created."), false);
            }

            if (written is not null)
            {
                await MirrorOnParentTaskAsync(created, written, session, cancellationToken).ConfigureAwait(false);
            }

            return (created, true);
        }, cancellationToken).ConfigureAwait(false);
        if (result.Item2)
        {
            silo.FlowRunStates.Set(id, result.Item1, 1);
        }

        return result;
    }

    public Task<FlowRun?> GetAsync(CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session =>
            (await FlowRunStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false))?.Run, cancellationToken);

    public Task<SetStateResult> SetStateAsync(ProposedState proposed, bool force, CancellationToken cancellationToken) =>
        TransitionAsync((run, now) => FlowRunRules.Propose(run, proposed, Context(now, force)), cancellationToken);

    public Task<SetStateResult> ResumeAsync(CancellationToken cancellationToken) =>
        TransitionAsync((run, now) => FlowRunRules.Resume(run, Context(now, force: false)), cancellationToken);

    public async Task<bool> UpdateAsync(Func<FlowRun, FlowRun> change, CancellationToken cancellationToken)
    {
        using var turn = await silo.Turns.EnterAsync(id, cancellationToken).ConfigureAwait(false);
        return await silo.Database.WriteAsync(async session =>
        {
            if (await FlowRunStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false) is not var (run, version))
            {
                return false;
            }

            var changed = change(run) with { Id = id, Updated = silo.Clock.GetUtcNow() };
            silo.FlowRunStates.Remove(id);
            return await FlowRunStore.UpdateAsync(session, changed, version, cancellationToken).ConfigureAwait(false)
                ? true
                : throw new ConcurrencyConflictException($"Flow run {id} changed while it was being updated.");
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(CancellationToken cancellationToken)
    {
        using var turn = await silo.Turns.EnterAsync(id, cancellationToken).ConfigureAwait(false);
        return await silo.Database.WriteAsync(async session =>
        {
            silo.FlowRunStates.Remove(id);
            await ConcurrencyLimitStore.ReleaseHeldByAsync(session, "task_runs.tags_in_flow_run", id, silo.Clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return await FlowRunStore.DeleteAsync(session, id, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SetStateResult> TransitionAsync(Func<FlowRun, DateTimeOffset, Transition<FlowRun>> decide, CancellationToken cancellationToken)
    {
        using var turn = await silo.Turns.EnterAsync(id, cancellationToken).ConfigureAwait(false);
        var (result, state, version) = await silo.Database.WriteAsync(async session =>
        {
            if (!silo.FlowRunStates.TryGet(id, out var run, out var version))
            {
                (run, version) = await FlowRunStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false)
                    ?? throw new KeyNotFoundException($"Flow run {id} was not found.");
            }

            var transition = decide(run, silo.Clock.GetUtcNow());
            if (transition.Updated is not { } updated || transition.Written is not { } written)
            {
                return (new SetStateResult(transition.Result, false), run, version);
            }

            try
            {
                await FlowRunStore.TransitionAsync(session, updated, version, written, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException)
            {
                // Another server or process wrote first: forget the stale state; the unit runs again on fresh data.
                silo.FlowRunStates.Remove(id);
                throw;
            }

            await MirrorOnParentTaskAsync(updated, written, session, cancellationToken).ConfigureAwait(false);
            return (new SetStateResult(transition.Result, true), updated, version + 1);
        }, cancellationToken).ConfigureAwait(false);

        // Committed: keep the state for the next call.
        silo.FlowRunStates.Set(id, state, version);
        return result;
    }

    /// <summary>A subflow's state is forced onto the parent flow's task run that stands for it, in the same transaction,
    /// as Prefect does: the parent flow then sees the subflow as a task.</summary>
    private async Task MirrorOnParentTaskAsync(FlowRun run, State written, DbSession session, CancellationToken cancellationToken)
    {
        if (run.ParentTaskRunId is not { } parentTaskRunId || FlowRunRules.ParentTaskRunState(run, written) is not { } mirrored)
        {
            return;
        }

        try
        {
            silo.TaskRunStates.Remove(parentTaskRunId);
            await TaskRunGrain.ApplyAsync(silo, session, parentTaskRunId, mirrored, force: true, cached: null, cancellationToken).ConfigureAwait(false);
        }
        catch (KeyNotFoundException)
        {
            // The parent task run was deleted; the subflow keeps its own state.
        }
    }

    private FlowRunRuleContext Context(DateTimeOffset now, bool force) => new()
    {
        Now = now,
        NewStateId = silo.NewId(),
        Force = force,
    };
}
