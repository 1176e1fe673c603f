namespace OrleansFlow.Grains.States;

/// <summary>One pass of a run's core rules over a proposal, in Prefect's priority order.</summary>
/// <remarks>Rules run until one decides. A rule that only mutates (renames the proposal, resets a counter)
/// lets the chain continue. When a rule decides, the run mutations and after-transition effects of the
/// rules before it are dropped: in Prefect those rules no longer match the transition, so they clean up
/// instead of completing. The deciding rule applies its own mutations after deciding.</remarks>
/// <typeparam name="TRun">The run record.</typeparam>
internal abstract class RuleEvaluation<TRun>
    where TRun : class
{
    protected RuleEvaluation(TRun run, State? initial, ProposedState proposed)
    {
        Original = run;
        Run = run;
        Initial = initial;
        Proposed = proposed;
        TransitionId = proposed.StateDetails.TransitionId;
    }

    /// <summary>The transition id the client gave the proposal; the state written for it, whatever it is, carries it.</summary>
    public Guid? TransitionId { get; }

    /// <summary>The run as loaded.</summary>
    public TRun Original { get; }

    /// <summary>The run with the mutations of the rules so far.</summary>
    public TRun Run { get; set; }

    /// <summary>The run's current state (Prefect's initial state).</summary>
    public State? Initial { get; }

    /// <summary>The current state's type, if any.</summary>
    public StateType? InitialType => Initial?.Type;

    /// <summary>The proposal with the changes of the rules so far (a new name, a copied scheduled time).</summary>
    public ProposedState Proposed { get; set; }

    /// <summary>The decision, once a rule made one.</summary>
    public RuleVerdict? Verdict { get; private set; }

    /// <summary>True once a rule decided; later rules do not run.</summary>
    public bool Decided => Verdict is not null;

    /// <summary>What gets written: the decision, or an acceptance of the (possibly changed) proposal.</summary>
    public RuleVerdict Outcome => Verdict ?? RuleVerdict.Accept(Proposed);

    /// <summary>True when the run is in a state of type <paramref name="from"/> and the proposal has type <paramref name="to"/>.</summary>
    public bool Is(StateType from, StateType to) => InitialType == from && Proposed.Type == to;

    public void Reject(ProposedState? replacement, string reason) => Decide(RuleVerdict.Reject(replacement, reason));

    public void Wait(int delaySeconds, string reason) => Decide(RuleVerdict.Wait(delaySeconds, reason));

    public void Abort(string reason) => Decide(RuleVerdict.Abort(reason));

    /// <summary>Renames the proposal (Prefect's <c>rename_state</c>); the chain goes on.</summary>
    public void Rename(string name) => Proposed = Proposed with { Name = name };

    /// <summary>Prefect's <c>PreventDuplicateTransitions</c>: a proposal carrying the transition id of the run's current
    /// state is a request sent again after its answer was lost. It is rejected with the current state, so the transition
    /// is applied once.</summary>
    /// <returns>True when the proposal was a duplicate and this decided.</returns>
    public bool RejectDuplicate()
    {
        if (TransitionId is { } id && Initial?.StateDetails.TransitionId == id)
        {
            Decide(RuleVerdict.Reject(null, "This run has already made this state transition."));
            return true;
        }

        return false;
    }

    /// <summary>Drops the after-transition effects registered by earlier rules.</summary>
    protected abstract void ClearEffects();

    private void Decide(RuleVerdict verdict)
    {
        Run = Original;
        ClearEffects();
        Verdict = verdict;
    }
}
