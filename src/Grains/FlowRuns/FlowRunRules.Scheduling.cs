using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.FlowRuns;

public static partial class FlowRunRules
{
    private static void CopyScheduledTime(FlowRunEvaluation evaluation) => SchedulingRules.CopyScheduledTime(evaluation);

    private static void WaitForScheduledTime(FlowRunEvaluation evaluation) => SchedulingRules.WaitForScheduledTime(evaluation, evaluation.Context.Now);

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
