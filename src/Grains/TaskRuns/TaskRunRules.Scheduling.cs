using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.TaskRuns;

public static partial class TaskRunRules
{
    private static void CopyScheduledTime(TaskRunEvaluation evaluation) => SchedulingRules.CopyScheduledTime(evaluation);

    private static void WaitForScheduledTime(TaskRunEvaluation evaluation) => SchedulingRules.WaitForScheduledTime(evaluation, evaluation.Context.Now);
}
