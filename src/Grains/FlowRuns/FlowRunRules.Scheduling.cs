using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.FlowRuns;

public static partial class FlowRunRules
{
    /// <summary>SCHEDULED to PENDING keeps the scheduled time unless the proposal brings its own.</summary>
    private static void CopyScheduledTime(FlowRunEvaluation evaluation)
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

    /// <summary>A run may not start before its scheduled time (by the server's clock): WAIT until then.</summary>
    private static void WaitForScheduledTime(FlowRunEvaluation evaluation)
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

    /// <summary>A RUNNING run that fails while it has retries left is put in SCHEDULED <c>AwaitingRetry</c>
    /// due after the retry delay, keeping the failure's message and data; its pauses are forgotten.</summary>
    private static void RetryFailedFlows(FlowRunEvaluation evaluation)
    {
        if (!evaluation.Is(StateType.Running, StateType.Failed))
        {
            return;
        }

        var policy = evaluation.Run.EmpiricalPolicy;
        if (policy.Retries is not { } retries || evaluation.Run.RunCount > retries)
        {
            return;
        }

        var awaitingRetry = new ProposedState
        {
            Type = StateType.Scheduled,
            Name = "AwaitingRetry",
            Message = evaluation.Proposed.Message,
            Data = evaluation.Proposed.Data,
            StateDetails = new StateDetails { ScheduledTime = evaluation.Context.Now.AddSeconds(policy.RetryDelay ?? 0) },
        };
        evaluation.Reject(awaitingRetry, "Retrying");
        evaluation.Run = evaluation.Run with
        {
            EmpiricalPolicy = evaluation.Run.EmpiricalPolicy with { Resuming = false, PauseKeys = [] },
        };
    }
}
