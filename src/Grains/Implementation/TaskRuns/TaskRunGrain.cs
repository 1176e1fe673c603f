using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Hosting;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.TaskRuns;

/// <summary>A task-run grain. Its activation holds the run as last committed and asks its flow run's grain for the flow
/// run's state, so a transition reads only what the rules need from elsewhere (a cache entry when it asks for one). A
/// RUNNING proposal of a tagged run first asks the grains of its tags' limits for a slot each (<see
/// cref="ConcurrencySlots"/>); the rules decide on their answers. It writes once: the run, its state and the cache entry
/// it makes, in one transaction, conditional on the row version it holds. Slots taken for a transition that did not make
/// the run RUNNING, and every slot of a run that leaves RUNNING or is deleted, go back through the limits' grains. Placed on
/// the silo its first call arrives at, as <see cref="FlowRunGrain"/> is.</summary>
[Orleans.Placement.PreferLocalPlacement]
internal sealed class TaskRunGrain(IGrainServices services, ITaskRunStore store, IFlowRunStore flowRuns, ConcurrencySlots slots) : Grain, ITaskRunGrain
{
    private TaskRun? _run;
    private long _version;

    private Guid Id => this.GetPrimaryKey();

    public async Task<(TaskRun Run, bool Created)> CreateAsync(TaskRun run, ProposedState? initialState, CancellationToken cancellationToken)
    {
        var flowRun = await FlowRunOfAsync(run.FlowRunId);
        var result = await services.Database.WriteAsync(session => CreateInAsync(session, run, flowRun, initialState, cancellationToken), cancellationToken);
        if (result.Created)
        {
            (_run, _version) = (result.Run, 1);
        }

        return result;
    }

    public async Task<(TaskRun Run, bool Created, SetStateResult Answer)> BeginAsync(TaskRun run, ProposedState? initialState, ProposedState proposed,
        CancellationToken cancellationToken)
    {
        var id = Id;
        var flowRun = await FlowRunOfAsync(run.FlowRunId);
        var claim = await ClaimAsync(proposed, false, run.Tags, cancellationToken);
        (TaskRun, Applied?) outcome;
        try
        {
            outcome = await services.Database.WriteAsync(async session =>
            {
                var (created, isNew) = await CreateInAsync(session, run, flowRun, initialState, cancellationToken);
                return isNew
                    ? (created, await ApplyAsync(services, store, flowRuns, session, id, proposed, false, (created, 1, flowRun), cancellationToken,
                        claim.Limits))
                    : (created, (Applied?)null);
            }, cancellationToken);
        }
        catch
        {
            await slots.GiveBackAsync(id, claim.Taken);
            throw;
        }

        var (stored, applied) = outcome;
        if (applied is not null)
        {
            Remember(applied);
            await SettleSlotsAsync(applied, claim, cancellationToken);
            Telemetry.OrleansFlowTelemetry.RecordTransition("task_run", proposed.Type, applied.Result.Result.Status);
            return (applied.Run, true, applied.Result);
        }

        // The flow run already had this task run: propose to its grain.
        await slots.GiveBackAsync(id, claim.Taken);
        var grain = GrainFactory.TaskRun(stored.Id);
        var answer = await grain.SetStateAsync(proposed, false, cancellationToken);
        return (await grain.GetAsync(cancellationToken) ?? stored, false, answer);
    }

    public async Task<TaskRun?> GetAsync(CancellationToken cancellationToken) => (await ReadAsync(cancellationToken))?.Run;

    public async Task<SetStateResult> SetStateAsync(ProposedState proposed, bool force, CancellationToken cancellationToken)
    {
        var id = Id;
        (TaskRun, long, FlowRun?)? held = null;
        if (_run is { } run)
        {
            held = (run, _version, await FlowRunOfAsync(run.FlowRunId));
        }

        var tags = _run?.Tags ?? (NeedsSlots(proposed, force) ? (await ReadAsync(cancellationToken))?.Run.Tags : null) ?? [];
        var claim = await ClaimAsync(proposed, force, tags, cancellationToken);
        Applied applied;
        try
        {
            applied = await services.Database.WriteAsync(session =>
            {
                // The activation's state, unless this is a retry after a version conflict (or there is none yet): then read.
                var state = held;
                held = null;
                return ApplyAsync(services, store, flowRuns, session, id, proposed, force, state, cancellationToken, claim.Limits);
            }, cancellationToken);
        }
        catch
        {
            await slots.GiveBackAsync(id, claim.Taken);
            throw;
        }

        Remember(applied);
        await SettleSlotsAsync(applied, claim, cancellationToken);
        Telemetry.OrleansFlowTelemetry.RecordTransition("task_run", proposed.Type, applied.Result.Result.Status);
        return applied.Result;
    }

    public async Task<bool> IsRunningAsync() => (await ReadAsync(CancellationToken.None))?.Run.StateType == StateType.Running;

    public async Task<bool> RenameAsync(string name, CancellationToken cancellationToken)
    {
        var id = Id;
        var changed = await services.Database.WriteAsync(async session =>
        {
            if (await store.GetAsync(session, id, cancellationToken) is not var (run, version))
            {
                return ((TaskRun Run, long Version)?)null;
            }

            var changed = run with { Name = name, Updated = services.Clock.GetUtcNow() };
            return await store.UpdateAsync(session, changed, version, cancellationToken)
                ? (changed, version + 1)
                : throw new ConcurrencyConflictException($"Task run {id} changed while it was being updated.");
        }, cancellationToken);
        (_run, _version) = changed is var (r, v) ? (r, v) : (null, 0);
        return changed is not null;
    }

    public async Task<bool> DeleteAsync(CancellationToken cancellationToken)
    {
        var id = Id;
        var deleted = await services.Database.WriteAsync(async session =>
            await store.GetAsync(session, id, cancellationToken) is var (run, _) && await store.DeleteAsync(session, id, cancellationToken)
                ? run
                : null, cancellationToken);
        _run = null;
        if (deleted is not null)
        {
            // Unloaded once, by the delete that removed the row: a delete or call queued behind it is answered by the next
            // activation (not found) instead of being forwarded again.
            DeactivateOnIdle();
            // After the commit: a slot given back before it could be taken again by a transition still in flight.
            await slots.ReleaseAsync([(id, deleted.Tags)], cancellationToken);
        }

        return deleted is not null;
    }

    public async Task ForgetStateAsync()
    {
        _run = null;

        // Another grain wrote the run's state (a subflow's, mirrored): a run no longer RUNNING gives its slots back.
        if (await ReadAsync(CancellationToken.None) is ({ Tags.Count: > 0, StateType: not StateType.Running } run, _))
        {
            await slots.ReleaseAsync([(Id, run.Tags)], CancellationToken.None);
        }
    }

    private Task<(TaskRun Run, long Version)?> ReadAsync(CancellationToken cancellationToken)
    {
        var id = Id;
        return services.Database.ReadAsync(session => store.GetAsync(session, id, cancellationToken), cancellationToken);
    }

    /// <summary>A RUNNING proposal through the rules asks for the slots of the run's tags.</summary>
    private static bool NeedsSlots(ProposedState proposed, bool force) => proposed.Type == StateType.Running && !force;

    private Task<SlotClaim> ClaimAsync(ProposedState proposed, bool force, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        NeedsSlots(proposed, force) && tags.Count > 0
            ? slots.AcquireAsync(Id, tags, cancellationToken)
            : Task.FromResult(SlotClaim.None);

    /// <summary>After the transition committed: a run that left RUNNING gives back every slot it holds; slots taken for a
    /// transition that did not make the run RUNNING go back.</summary>
    private async Task SettleSlotsAsync(Applied applied, SlotClaim claim, CancellationToken cancellationToken)
    {
        if (!applied.Result.Written || applied.Run.StateType != StateType.Running)
        {
            await slots.GiveBackAsync(Id, claim.Taken);
        }

        if (applied.ReleasesSlots)
        {
            await slots.ReleaseAsync([(Id, applied.Run.Tags)], cancellationToken);
        }
    }

    /// <summary>The flow run's state as its grain holds it; throws when the flow run does not exist.</summary>
    private async Task<FlowRun> FlowRunOfAsync(Guid flowRunId) =>
        await GrainFactory.FlowRun(flowRunId).GetCurrentAsync()
            ?? throw new ReferenceNotFoundException("flow_run_id", $"Flow run {flowRunId} was not found.");

    /// <summary>Creates the run inside <paramref name="session"/>'s transaction, or finds the flow run's task run with the same
    /// task key and dynamic key.</summary>
    private async Task<(TaskRun Run, bool Created)> CreateInAsync(IGrainTransaction session, TaskRun run, FlowRun flowRun, ProposedState? initialState,
        CancellationToken cancellationToken)
    {
        var now = services.Clock.GetUtcNow();
        var created = run with { Id = Id, Created = now, Updated = now };
        State? written = null;
        if (initialState is not null)
        {
            var transition = TaskRunRules.Propose(created, initialState, Context(services, now, force: true, flowRun, null, [])).Transition;
            created = transition.Updated ?? created;
            written = transition.Written;
        }

        if (!await store.CreateAsync(session, created, written, cancellationToken))
        {
            // The flow run already has this task run (same task and dynamic key): that run is the answer.
            var existing = await store.FindByKeyAsync(session, run, cancellationToken);
            return (existing ?? throw new ConcurrencyConflictException($"Task run {Id} could not be created."), false);
        }

        if (written is not null)
        {
            await EmitAsync(services, flowRuns, session, created, null, written, flowRun, cancellationToken);
        }

        return (created, true);
    }

    /// <summary>Committed (or decided without a write): this is the run's state now.</summary>
    private void Remember(Applied applied)
    {
        (_run, _version) = (applied.Run, applied.Version);
        if (applied.Finished)
        {
            // A task run that has just finished is rarely called again: free the memory now rather than at the collection
            // age. Only on entering the terminal state: calls queued behind this one go to the next activation, which must
            // answer them rather than unload in its turn (Orleans forwards a queued call twice at most, then fails it).
            DeactivateOnIdle();
        }
    }

    /// <summary>Decides and writes one proposal inside <paramref name="session"/>'s transaction, on <paramref name="held"/>
    /// (the run, its version and its flow run as the activation holds them) or, when that is null, on the run and flow run
    /// read in the transaction. Also used by a subflow's transition to mirror its state onto its parent task run in the
    /// same transaction. The rules decide a RUNNING proposal on the limits passed: the run's tag limits as their grains
    /// answered the slot claim made before the transaction (none for a forced or mirrored state).</summary>
    /// <returns>The answer and the run's state and version afterwards.</returns>
    internal static async Task<Applied> ApplyAsync(IGrainServices services, ITaskRunStore store, IFlowRunStore flowRuns, IGrainTransaction session,
        Guid id, ProposedState proposed, bool force, (TaskRun Run, long Version, FlowRun? FlowRun)? held, CancellationToken cancellationToken,
        IReadOnlyList<ConcurrencyLimit>? limits = null)
    {
        var (run, version, flowRun) = held
            ?? await store.GetWithFlowRunAsync(session, id, cancellationToken)
            ?? throw new KeyNotFoundException($"Task run {id} was not found.");

        var now = services.Clock.GetUtcNow();
        var cachedResult = proposed is { Type: StateType.Running, StateDetails: { CacheKey: { } key, RefreshCache: not true } }
            ? await store.LookupCacheAsync(session, key, now, cancellationToken)
            : null;
        var decision = TaskRunRules.Propose(run, proposed, Context(services, now, force, flowRun, cachedResult, limits ?? []));
        var transition = decision.Transition;
        var finished = false;
        if (transition.Updated is { } updated && transition.Written is { } written)
        {
            finished = updated.StateType is { } after && after.IsTerminal() && !(run.StateType is { } before && before.IsTerminal());
            await store.TransitionAsync(session, updated, version, written, cancellationToken);
            await EmitAsync(services, flowRuns, session, updated, run.State, written, flowRun, cancellationToken);
            (run, version) = (updated, version + 1);
        }

        if (decision.CacheInsert is { } cacheable)
        {
            await store.InsertCacheAsync(session, cacheable, now, cancellationToken);
        }

        return new Applied(new SetStateResult(transition.Result, transition.Changed), run, version, decision.ReleaseSlots, finished);
    }

    /// <summary>Emits the state-change event of <paramref name="run"/> in the transaction that writes the state: related
    /// to its flow run, to what the flow run's events relate to, and to the tags of both runs.</summary>
    private static async Task EmitAsync(IGrainServices services, IFlowRunStore flowRuns, IGrainTransaction session, TaskRun run, State? initial,
        State written, FlowRun? flowRun, CancellationToken cancellationToken)
    {
        var related = new List<Resource> { Resource.Related($"prefect.flow-run.{run.FlowRunId:D}", "flow-run", flowRun?.Name) };
        if (flowRun is not null)
        {
            related.AddRange((await flowRuns.RelatedResourcesAsync(session, flowRun, cancellationToken)).Where(r => r.Role != "tag"));
        }

        related.AddRange(StateChangeEvents.Tags(flowRun is null ? run.Tags : run.Tags.Concat(flowRun.Tags)));
        session.Emit(StateChangeEvents.ForTaskRun(run, initial, written, related, services.Clock.GetUtcNow()));
    }

    /// <summary>What <see cref="ApplyAsync"/> did; <c>ReleasesSlots</c> when the written state gives back the run's slots
    /// (any state but RUNNING); <c>Finished</c> when it moved the run into a terminal state from one that was not.</summary>
    internal sealed record Applied(SetStateResult Result, TaskRun Run, long Version, bool ReleasesSlots, bool Finished);

    private static TaskRunRuleContext Context(IGrainServices services, DateTimeOffset now, bool force, FlowRun? flowRun, State? cached,
        IReadOnlyList<ConcurrencyLimit> limits) => new()
    {
        Now = now,
        NewStateId = services.NewId(),
        Force = force,
        FlowRun = flowRun,
        CachedState = cached,
        ConcurrencyLimits = limits,
        JitterSample = services.NextJitterSample(),
        TagConcurrencySlotWaitSeconds = services.Settings.TagConcurrencySlotWaitSeconds,
    };
}
