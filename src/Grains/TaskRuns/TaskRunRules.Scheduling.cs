using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.TaskRuns;

public static partial class TaskRunRules
{
    /// <summary>SCHEDULED to PENDING keeps the scheduled time unless the proposal brings its own.</summary>
    private static void CopyScheduledTime(TaskRunEvaluation evaluation)
    {
        if (evaluation.Is(StateType.Scheduled, StateType.Pending) && evaluation.Proposed.StateDetails.ScheduledTime is null)
        {
            var proposed = evaluation.Proposed;
            evaluation.Proposed = proposed with
            {
                StateDetails = proposed.StateDetails with { ScheduledTime = evaluation.Initial!.StateDetails.ScheduledTime },
            };
        }
    }

    /// <summary>A run may not start before its scheduled time (by the server's clock), e.g. a retry still
    /// waiting out its delay: WAIT until then.</summary>
    private static void WaitForScheduledTime(TaskRunEvaluation evaluation)
    {
        if (evaluation.Proposed.Type != StateType.Running
            || evaluation.Initial is not { Type: StateType.Scheduled or StateType.Pending } initial
            || initial.StateDetails.ScheduledTime is not { } scheduledTime)
        {
            return;
        }

        var delay = RuleText.SecondsUntil(scheduledTime, evaluation.Context.Now);
        if (delay > 0)
        {
            evaluation.Wait(delay, "Scheduled time is in the future");
        }
    }
}
