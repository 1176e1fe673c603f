using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.FlowRuns;

public static partial class FlowRunRules
{
    /// <summary>A run leaves a terminal state only to run again: never to CANCELLING, PAUSED or CRASHED
    /// (ABORT), never when it completed with a persisted result (REJECT, keeps its state), and back to
    /// SCHEDULED only with a deployment to run it (ABORT). Leaving for a non-terminal state forgets its
    /// pauses, so a re-run can pause again.</summary>
    private static void HandleFlowTerminalStateTransitions(FlowRunEvaluation evaluation)
    {
        if (TerminalRules.RefuseLeaving(evaluation))
        {
            return;
        }

        var proposed = evaluation.Proposed;
        if (proposed.Type == StateType.Scheduled && evaluation.Run.DeploymentId is null)
        {
            evaluation.Abort("Cannot reschedule a run without an associated deployment.");
            return;
        }

        if (!proposed.Type.IsTerminal())
        {
            evaluation.Run = evaluation.Run with
            {
                EmpiricalPolicy = evaluation.Run.EmpiricalPolicy with { Resuming = false, PauseKeys = [] },
            };
        }
    }

    /// <summary>A CANCELLING run may only become CANCELLED (the worker that tears it down says so); anything
    /// else is rejected and the run stays CANCELLING. A CANCELLED proposal without a message keeps the one the run was
    /// cancelled with ("Cancelled from the UI"), so the run's final state still says why it stopped.</summary>
    private static void EnforceCancellingToCancelledTransition(FlowRunEvaluation evaluation)
    {
        if (evaluation.InitialType != StateType.Cancelling)
        {
            return;
        }

        if (evaluation.Proposed.Type != StateType.Cancelled)
        {
            evaluation.Reject(null, "Cannot transition flows that are cancelling to a state other than Cancelled.");
        }
        else if (string.IsNullOrEmpty(evaluation.Proposed.Message))
        {
            evaluation.Proposed = evaluation.Proposed with { Message = evaluation.Initial!.Message };
        }
    }

    /// <summary>Cancelling asks infrastructure to stop the run; a run that has none is cancelled at once.
    /// That is a SCHEDULED run no worker started (no infrastructure pid) or one resuming from a suspension,
    /// and a run paused with <c>reschedule</c> (it released its infrastructure).</summary>
    private static void BypassCancellingFlowRunsWithNoInfrastructure(FlowRunEvaluation evaluation)
    {
        if (evaluation.Proposed.Type != StateType.Cancelling || evaluation.Initial is not { } initial)
        {
            return;
        }

        // The CANCELLED state recorded in its place carries the reason the run was cancelled with.
        var cancelled = new ProposedState { Type = StateType.Cancelled, Message = evaluation.Proposed.Message };
        if (initial.Type == StateType.Scheduled
            && (string.IsNullOrEmpty(evaluation.Run.InfrastructurePid) || initial.Name == "Resuming"))
        {
            evaluation.Reject(cancelled, "Scheduled flow run has no infrastructure to terminate.");
        }
        else if (initial.Type == StateType.Paused && initial.StateDetails.PauseReschedule)
        {
            evaluation.Reject(cancelled, "Suspended flow run has no infrastructure to terminate.");
        }
    }

    /// <summary>Only one submission of a run may win: PENDING is refused (ABORT) once the run is PENDING,
    /// RUNNING, CANCELLING or CANCELLED, so a second worker stops instead of starting the run twice.</summary>
    private static void PreventPendingTransitions(FlowRunEvaluation evaluation)
    {
        if (evaluation.Proposed.Type == StateType.Pending
            && evaluation.InitialType is StateType.Pending or StateType.Running or StateType.Cancelling or StateType.Cancelled)
        {
            evaluation.Abort($"This run is in a {evaluation.InitialType.Value.WireName()} state and cannot transition to a PENDING state.");
        }
    }

    /// <summary>The late-run marker may only relabel a run that is still SCHEDULED; a run that started in
    /// the meantime keeps its state.</summary>
    private static void EnsureOnlyScheduledFlowsMarkedLate(FlowRunEvaluation evaluation)
    {
        if (evaluation.Proposed is { Type: StateType.Scheduled, Name: "Late" }
            && evaluation.Initial is { } initial
            && !initial.IsScheduled())
        {
            evaluation.Reject(null, "Only scheduled flows can be marked late.");
        }
    }
}
