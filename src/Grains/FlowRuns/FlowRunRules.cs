using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.FlowRuns;

/// <summary>Prefect's core flow-run orchestration policy as pure functions.</summary>
public static class FlowRunRules
{
    /// <summary>Decides a proposed state for a flow run and applies the transition's bookkeeping.</summary>
    public static Transition<FlowRun> Propose(FlowRun run, ProposedState proposed, FlowRunRuleContext context) =>
        throw new NotImplementedException();

    /// <summary>Resumes a PAUSED run (Prefect's <c>POST /flow_runs/{id}/resume</c>).</summary>
    public static Transition<FlowRun> Resume(FlowRun run, FlowRunRuleContext context) =>
        throw new NotImplementedException();
}
