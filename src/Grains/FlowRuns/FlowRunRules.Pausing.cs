using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.FlowRuns;

public static partial class FlowRunRules
{
    /// <summary>Only a RUNNING run pauses, once per pause key; pausing with <c>reschedule</c> needs a
    /// top-level run from a deployment (something must start it again). The key is recorded once the
    /// PAUSED state is written.</summary>
    private static void HandlePausingFlows(FlowRunEvaluation evaluation)
    {
        if (evaluation.Proposed.Type != StateType.Paused)
        {
            return;
        }

        if (evaluation.Initial is not { } initial)
        {
            evaluation.Abort("Cannot pause flows with no state.");
            return;
        }

        if (initial.Type != StateType.Running)
        {
            evaluation.Reject(null, "Cannot pause flows that are not currently running.");
            return;
        }

        var details = evaluation.Proposed.StateDetails;

        // Prefect draws a random key; the id of the state about to be written is as unique and keeps the rule pure.
        var key = details.PauseKey ?? evaluation.Context.NewStateId.ToString();
        if (evaluation.Run.EmpiricalPolicy.PauseKeys.Contains(key))
        {
            evaluation.Reject(null, "This pause has already fired.");
            return;
        }

        if (details.PauseReschedule)
        {
            if (evaluation.Run.ParentTaskRunId is not null)
            {
                evaluation.Abort("Cannot pause subflows with the reschedule option.");
                return;
            }

            if (evaluation.Run.DeploymentId is null)
            {
                evaluation.Abort("Cannot pause flows without a deployment with the reschedule option.");
                return;
            }
        }

        evaluation.PauseKeyToRecord = key;
    }

    /// <summary>A PAUSED run leaves only to run, to be rescheduled or to finish. Rescheduling needs a
    /// deployment; a pause past its timeout fails the run instead. The run is marked as resuming, so
    /// its next RUNNING continues the same attempt.</summary>
    private static void HandleResumingPausedFlows(FlowRunEvaluation evaluation)
    {
        if (evaluation.Initial is not { Type: StateType.Paused } initial)
        {
            return;
        }

        var proposed = evaluation.Proposed;
        if (!(proposed.Type is StateType.Running or StateType.Scheduled || proposed.Type.IsTerminal()))
        {
            evaluation.Reject(null, $"This run cannot transition to the {proposed.Type.WireName()} state from the {initial.Type.WireName()} state.");
            return;
        }

        if (initial.StateDetails.PauseReschedule && evaluation.Run.DeploymentId is null)
        {
            evaluation.Reject(null, "Cannot reschedule a paused flow run without a deployment.");
            return;
        }

        if (initial.StateDetails.PauseTimeout is { } timeout && timeout < evaluation.Context.Now)
        {
            var failed = new ProposedState { Type = StateType.Failed, Message = "The flow was paused and never resumed." };
            evaluation.Reject(failed, "The flow run pause has timed out and can no longer resume.");
        }

        // Prefect's rule completes even when it wrote the failure itself.
        evaluation.MarkResuming = true;
    }
}
