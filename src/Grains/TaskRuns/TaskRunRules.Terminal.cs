using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.TaskRuns;

public static partial class TaskRunRules
{
    /// <summary>A task leaves a terminal state only to run again: never to CANCELLING, PAUSED or CRASHED
    /// (ABORT), and never when it completed with a persisted result (REJECT, keeps its state: a retried flow
    /// reuses the result). Leaving for a non-terminal state resets the run count so task retries work again;
    /// running again because the flow run is retrying is named <c>Retrying</c>.</summary>
    private static void HandleTaskTerminalStateTransitions(TaskRunEvaluation evaluation)
    {
        if (TerminalRules.RefuseLeaving(evaluation))
        {
            return;
        }

        var proposed = evaluation.Proposed;
        if (!proposed.Type.IsTerminal())
        {
            evaluation.Run = evaluation.Run with { RunCount = 0 };
        }

        if (proposed.Type == StateType.Running
            && evaluation.Context.FlowRun is { } flowRun
            && evaluation.Run.FlowRunRunCount < flowRun.RunCount)
        {
            evaluation.Rename("Retrying");
        }
    }

    /// <summary>A task runs only inside a RUNNING flow run. In a PAUSED flow run it is rejected with a PAUSED
    /// state named <c>NotReady</c> carrying the pause's timeout; in any other (or no) state it is aborted.</summary>
    private static void PreventRunningTasksFromStoppedFlows(TaskRunEvaluation evaluation)
    {
        if (evaluation.Proposed.Type != StateType.Running || evaluation.Context.FlowRun is not { } flowRun)
        {
            return;
        }

        switch (flowRun.State)
        {
            case null:
                evaluation.Abort(FlowMustBeRunning);
                break;
            case { Type: StateType.Paused } paused:
                var notReady = new ProposedState
                {
                    Type = StateType.Paused,
                    Name = "NotReady",
                    StateDetails = new StateDetails
                    {
                        PauseTimeout = paused.StateDetails.PauseTimeout,
                        PauseReschedule = paused.StateDetails.PauseReschedule,
                    },
                };
                evaluation.Reject(notReady, $"The flow is paused, new tasks can execute after resuming flow run: {flowRun.Id}.");
                break;
            case { Type: not StateType.Running }:
                evaluation.Abort(FlowMustBeRunning);
                break;
        }
    }

    private const string FlowMustBeRunning = "The enclosing flow must be running to begin task execution.";
}
