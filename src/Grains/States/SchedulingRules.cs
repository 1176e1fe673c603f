namespace OrleansFlow.Grains.States;

/// <summary>The scheduling rules flow runs and task runs share (Prefect's <c>CopyScheduledTime</c> and
/// <c>WaitForScheduledTime</c>).</summary>
internal static class SchedulingRules
{
    /// <summary>SCHEDULED to PENDING keeps the scheduled time unless the proposal brings its own.</summary>
    public static void CopyScheduledTime<TRun>(RuleEvaluation<TRun> evaluation)
        where TRun : class
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

    /// <summary>A run may not start before its scheduled time (by the server's clock), e.g. a retry still waiting out
    /// its delay: WAIT until then.</summary>
    public static void WaitForScheduledTime<TRun>(RuleEvaluation<TRun> evaluation, DateTimeOffset now)
        where TRun : class
    {
        if (evaluation.Proposed.Type != StateType.Running
            || evaluation.Initial is not { Type: StateType.Scheduled or StateType.Pending } initial
            || initial.StateDetails.ScheduledTime is not { } scheduledTime)
        {
            return;
        }

        var delay = RuleText.SecondsUntil(scheduledTime, now);
        if (delay > 0)
        {
            evaluation.Wait(delay, "Scheduled time is in the future");
        }
    }
}
