using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.FlowRuns;

/// <summary>The flow-run rules' working state for one proposal, with the effects the rules apply once the
/// transition is written.</summary>
internal sealed class FlowRunEvaluation(FlowRun run, ProposedState proposed, FlowRunRuleContext context)
    : RuleEvaluation<FlowRun>(run, run.State, proposed)
{
    public FlowRunRuleContext Context { get; } = context;

    /// <summary>A pause key to add to the run's policy once the PAUSED state is written.</summary>
    public string? PauseKeyToRecord { get; set; }

    /// <summary>True to mark the run as resuming once the state leaving PAUSED is written.</summary>
    public bool MarkResuming { get; set; }

    protected override void ClearEffects()
    {
        PauseKeyToRecord = null;
        MarkResuming = false;
    }
}
