using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.TaskRuns;

/// <summary>The task-run rules' working state for one proposal, with the effects the rules apply once the
/// transition is written.</summary>
internal sealed class TaskRunEvaluation(TaskRun run, ProposedState proposed, TaskRunRuleContext context)
    : RuleEvaluation<TaskRun>(run, run.State, proposed)
{
    public TaskRunRuleContext Context { get; } = context;

    /// <summary>The tags whose concurrency slot the run takes once its RUNNING state is written.</summary>
    public IReadOnlyList<string> SlotsToAcquire { get; set; } = [];

    protected override void ClearEffects() => SlotsToAcquire = [];
}
