using Microsoft.Extensions.Logging;
using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Hosting;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Grains.FlowRuns;

/// <summary>A flow-run grain. Orleans gives it one activation in the cluster and one call at a time; the activation holds
/// the run as last committed, so a transition reads nothing: it decides (pure rules) and writes once. The write is
/// conditional on the row version the activation holds, so a second activation of the same run (another process on the
/// same SQLite file, or a membership change) can never apply a transition twice: its write fails, it reads the run
/// again and decides again. Placed on the silo its first call arrives at: an Orleans client (the gateway tier) sends every
/// call for one grain through the same silo (it buckets calls by grain id), so the run's calls then need no second hop
/// from that silo to another.</summary>
[Orleans.Placement.PreferLocalPlacement]
internal sealed partial class FlowRunGrain(IGrainServices services, IFlowRunStore store, ITaskRunStore taskRuns, ConcurrencySlots slots,
    ILogger<FlowRunGrain> logger) : Grain, IFlowRunGrain, IRemindable
{
    private FlowRun? _run;
    private long _version;

    private Guid Id => this.GetPrimaryKey();

    public async Task<(FlowRun Run, bool Created)> CreateAsync(FlowRun run, ProposedState? initialState, CancellationToken cancellationToken)
    {
        var id = Id;
        var result = await services.Database.WriteAsync(async session =>
        {
            if (!await store.FlowExistsAsync(session, run.FlowId, cancellationToken))
            {
                throw new ReferenceNotFoundException("flow_id", $"Flow {run.FlowId} was not found.");
            }

            var now = services.Clock.GetUtcNow();
            var created = run with { Id = id, Created = now, Updated = now };
            State? written = null;
            if (initialState is not null)
            {
                var transition = FlowRunRules.Propose(created, initialState, Context(now, force: true));
                created = transition.Updated ?? created;
                written = transition.Written;
            }

            if (!await store.CreateAsync(session, created, written, cancellationToken))
            {
                // This run exists already (a copy of a create whose answer was lost: the gateway sends it again), or the
                // flow already has a run with this idempotency key: that run is the answer.
                var existing = await store.GetAsync(session, id, cancellationToken) is var (same, _) && same.FlowId == run.FlowId
                    ? same
                    : run.IdempotencyKey is { } key ? await store.FindByIdempotencyKeyAsync(session, run.FlowId, key, cancellationToken) : null;
                return (existing ?? throw new ConcurrencyConflictException($"Flow run {id} could not be created."), false);
            }

            if (written is not null)
            {
                await EmitAsync(session, created, null, written, cancellationToken);
                await MirrorOnParentTaskAsync(created, written, session, cancellationToken);
            }

            return (created, true);
        }, cancellationToken);
        if (result.Item2)
        {
            (_run, _version) = (result.Item1, 1);
            await ForgetParentTaskAsync(result.Item1);
        }

        return result;
    }

    public Task<FlowRun?> GetAsync(CancellationToken cancellationToken) =>
        services.Database.ReadAsync(async session =>
            (await store.GetAsync(session, Id, cancellationToken))?.Run, cancellationToken);

    public async Task<FlowRun?> GetCurrentAsync()
    {
        if (_run is null)
        {
            var id = Id;
            var stored = await services.Database.ReadAsync(session => store.GetAsync(session, id, CancellationToken.None), CancellationToken.None);

            // An interleaved call may have loaded (or changed) the run meanwhile: the activation's own state wins.
            if (_run is null && stored is var (run, version))
            {
                (_run, _version) = (run, version);
            }
        }

        return _run;
    }

    public async Task<SetStateResult> SetStateAsync(ProposedState proposed, bool force, CancellationToken cancellationToken)
    {
        var result = await TransitionAsync((run, now) => FlowRunRules.Propose(run, proposed, Context(now, force)), cancellationToken);
        Telemetry.OrleansFlowTelemetry.RecordTransition("flow_run", proposed.Type, result.Result.Status);
        return result;
    }

    public Task<SetStateResult> ResumeAsync(CancellationToken cancellationToken) =>
        TransitionAsync((run, now) => FlowRunRules.Resume(run, Context(now, force: false)), cancellationToken);

    public async Task<bool> UpdateAsync(FlowRunUpdate update, CancellationToken cancellationToken)
    {
        var id = Id;
        var changed = await services.Database.WriteAsync(async session =>
        {
            if (await store.GetAsync(session, id, cancellationToken) is not var (run, version))
            {
                return ((FlowRun Run, long Version)?)null;
            }

            var changed = update.ApplyTo(run) with { Id = id, Updated = services.Clock.GetUtcNow() };
            return await store.UpdateAsync(session, changed, version, cancellationToken)
                ? (changed, version + 1)
                : throw new ConcurrencyConflictException($"Flow run {id} changed while it was being updated.");
        }, cancellationToken);
        (_run, _version) = changed is var (r, v) ? (r, v) : (null, 0);
        store.ForgetRelatedResources(id);
        return changed is not null;
    }

    public async Task<bool> DeleteAsync(CancellationToken cancellationToken)
    {
        var id = Id;
        var holders = await services.Database.ReadAsync(session => store.TaggedTaskRunsAsync(session, id, cancellationToken), cancellationToken);
        var deleted = await services.Database.WriteAsync(session => store.DeleteAsync(session, id, cancellationToken), cancellationToken);
        _run = null;
        await StopWatchingAsync();
        if (deleted)
        {
            // Unloaded once, by the delete that removed the row: a delete or call queued behind it is answered by the next
            // activation (not found) instead of being forwarded again.
            DeactivateOnIdle();
        }

        await slots.ReleaseAsync(holders, cancellationToken);
        return deleted;
    }

    private async Task<SetStateResult> TransitionAsync(Func<FlowRun, DateTimeOffset, Transition<FlowRun>> decide, CancellationToken cancellationToken)
    {
        var id = Id;
        var held = _run is { } current ? (current, _version) : ((FlowRun, long)?)null;
        var (result, state, version, mirrored, finished) = await services.Database.WriteAsync(async session =>
        {
            // The activation's state, unless this is a retry after a version conflict (or there is none yet): then read.
            var (run, version) = held ?? await store.GetAsync(session, id, cancellationToken)
                ?? throw new KeyNotFoundException($"Flow run {id} was not found.");
            held = null;

            var transition = decide(run, services.Clock.GetUtcNow());
            if (transition.Updated is not { } updated || transition.Written is not { } written)
            {
                return (new SetStateResult(transition.Result, false), run, version, false, false);
            }

            await store.TransitionAsync(session, updated, version, written, cancellationToken);
            await EmitAsync(session, updated, run.State, written, cancellationToken);
            var mirrored = await MirrorOnParentTaskAsync(updated, written, session, cancellationToken);
            var finished = updated.StateType is { } after && after.IsTerminal() && !(run.StateType is { } before && before.IsTerminal());
            return (new SetStateResult(transition.Result, true), updated, version + 1, mirrored, finished);
        }, cancellationToken);

        // Committed (or decided without a write): this is the run's state now.
        (_run, _version) = (state, version);
        if (mirrored)
        {
            await ForgetParentTaskAsync(state);
        }

        if (result.Written && state.WorkPoolId is { } pool && state.StateType is { } now && (now.IsTerminal() || now == StateType.Scheduled))
        {
            // The run freed a slot of its pool or queue (or is due again): workers waiting on the pool look again.
            await GrainFactory.WorkPool(pool).PulseAsync();
        }

        if (result.Written)
        {
            await WatchAfterTransitionAsync(state);
        }

        if (finished && !_watching)
        {
            // A run that has just finished is rarely called again: free the memory now rather than at the collection age.
            // Only on entering the terminal state: calls queued behind this one go to the next activation, which must
            // answer them rather than unload in its turn (Orleans forwards a queued call twice at most, then fails it).
            DeactivateOnIdle();
        }

        return result;
    }

    /// <summary>A subflow's state is forced onto the parent flow's task run that stands for it, in the same transaction,
    /// as Prefect does: the parent flow then sees the subflow as a task.</summary>
    /// <returns>True when the parent task run's row was written.</returns>
    private async Task<bool> MirrorOnParentTaskAsync(FlowRun run, State written, IGrainTransaction session, CancellationToken cancellationToken)
    {
        if (run.ParentTaskRunId is not { } parentTaskRunId || FlowRunRules.ParentTaskRunState(run, written) is not { } mirrored)
        {
            return false;
        }

        try
        {
            await TaskRunGrain.ApplyAsync(services, taskRuns, store, session, parentTaskRunId, mirrored, force: true, held: null, cancellationToken);
            return true;
        }
        catch (KeyNotFoundException)
        {
            // The parent task run was deleted; the subflow keeps its own state.
            return false;
        }
    }

    /// <summary>Emits the state-change event of <paramref name="run"/> in the transaction that writes the state.</summary>
    private async Task EmitAsync(IGrainTransaction session, FlowRun run, State? initial, State written, CancellationToken cancellationToken)
    {
        var related = await store.RelatedResourcesAsync(session, run, cancellationToken);
        session.Emit(StateChangeEvents.ForFlowRun(run, initial, written, related, services.Clock.GetUtcNow()));
    }

    /// <summary>The parent task run's activation no longer holds its row as stored: it reads it again on its next call.</summary>
    private Task ForgetParentTaskAsync(FlowRun run) =>
        run.ParentTaskRunId is { } parentTaskRunId ? GrainFactory.TaskRun(parentTaskRunId).ForgetStateAsync() : Task.CompletedTask;

    private FlowRunRuleContext Context(DateTimeOffset now, bool force) => new()
    {
        Now = now,
        NewStateId = services.NewId(),
        Force = force,
    };
}
