using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.TaskRuns;

/// <summary>Prefect's core task-run orchestration policy as pure functions.</summary>
public static class TaskRunRules
{
    /// <summary>Decides a proposed state for a task run, applies the bookkeeping and lists the side records.</summary>
    public static TaskRunTransition Propose(TaskRun run, ProposedState proposed, TaskRunRuleContext context) =>
        throw new NotImplementedException();
}
