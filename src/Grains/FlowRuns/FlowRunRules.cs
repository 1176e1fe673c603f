using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.FlowRuns;

/// <summary>Prefect's core flow-run orchestration policy as pure functions.</summary>
/// <remarks>The rules follow Prefect 2.10's <c>CoreFlowPolicy</c>, in its order; the universal transforms
/// (run counts, start/end/run times, expected start time, state details) apply to every written state,
/// forced or not. Nothing here reads the clock or does I/O: <see cref="FlowRunRuleContext"/> carries it all.</remarks>
public static partial class FlowRunRules
{
    private static readonly Action<FlowRunEvaluation>[] CorePolicy =
    [
        HandleFlowTerminalStateTransitions,
        EnforceCancellingToCancelledTransition,
        BypassCancellingFlowRunsWithNoInfrastructure,
        PreventPendingTransitions,
        EnsureOnlyScheduledFlowsMarkedLate,
        HandlePausingFlows,
        HandleResumingPausedFlows,
        CopyScheduledTime,
        WaitForScheduledTime,
        RetryFailedFlows,
    ];

    /// <summary>Decides a proposed state for a flow run and applies the transition's bookkeeping.</summary>
    /// <param name="run">The run as stored, with its current state (null for a run being created).</param>
    /// <param name="proposed">The state the client proposes.</param>
    /// <param name="context">The time, the id for a written state, and <c>force</c>.</param>
    /// <returns>The answer; when a state is written (accepted, or a replacement such as <c>AwaitingRetry</c>),
    /// <see cref="Transition{TRun}.Written"/> and <see cref="Transition{TRun}.Updated"/> carry it.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static Transition<FlowRun> Propose(FlowRun run, ProposedState proposed, FlowRunRuleContext context)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(proposed);
        ArgumentNullException.ThrowIfNull(context);

        var evaluation = new FlowRunEvaluation(run, proposed, context);
        if (!evaluation.RejectDuplicate() && !context.Force)
        {
            foreach (var rule in CorePolicy)
            {
                rule(evaluation);
                if (evaluation.Decided)
                {
                    break;
                }
            }
        }

        return Complete(evaluation);
    }

    /// <summary>Resumes a PAUSED run (Prefect's <c>POST /flow_runs/{id}/resume</c>): a run paused with
    /// <c>reschedule</c> goes to SCHEDULED named <c>Resuming</c> (due now) so a worker starts it again, any
    /// other paused run goes back to RUNNING. The core rules decide as for any proposal.</summary>
    /// <returns>An ABORT with no state when the run is not paused; otherwise the transition.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static Transition<FlowRun> Resume(FlowRun run, FlowRunRuleContext context)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(context);

        if (run.State is not { Type: StateType.Paused } paused)
        {
            return new Transition<FlowRun>
            {
                Result = new OrchestrationResult(null, OrchestrationStatus.Abort, OrchestrationDetails.Aborted("Cannot resume a flow run that is not paused.")),
            };
        }

        var proposal = paused.StateDetails.PauseReschedule
            ? new ProposedState
            {
                Type = StateType.Scheduled,
                Name = "Resuming",
                StateDetails = new StateDetails { ScheduledTime = context.Now },
            }
            : new ProposedState { Type = StateType.Running };
        return Propose(run, proposal, context with { Force = false });
    }

    /// <summary>The state to force onto a subflow's parent task run after the subflow's state was written
    /// (Prefect's <c>UpdateSubflowParentTask</c>): a copy of the written state that names the subflow as the
    /// child flow run.</summary>
    /// <returns>Null when nothing was written or the run is not a subflow.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transition"/> is null.</exception>
    public static ProposedState? ParentTaskRunState(Transition<FlowRun> transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        return transition is { Written: { } written, Updated: { } subflow } ? ParentTaskRunState(subflow, written) : null;
    }

    /// <summary>The state to force onto the parent task run of <paramref name="subflow"/> after <paramref name="written"/>
    /// was recorded for it; null when the run is not a subflow.</summary>
    public static ProposedState? ParentTaskRunState(FlowRun subflow, State written)
    {
        ArgumentNullException.ThrowIfNull(subflow);
        ArgumentNullException.ThrowIfNull(written);
        if (subflow.ParentTaskRunId is null)
        {
            return null;
        }

        return new ProposedState
        {
            Type = written.Type,
            Name = written.Name,
            Message = written.Message,
            Data = written.Data,
            StateDetails = written.StateDetails with { ChildFlowRunId = subflow.Id },
        };
    }

    private static Transition<FlowRun> Complete(FlowRunEvaluation evaluation)
    {
        var outcome = evaluation.Outcome;
        var current = evaluation.Original.State;
        if (outcome.ToWrite is null)
        {
            return new Transition<FlowRun> { Result = new OrchestrationResult(current, outcome.Status, outcome.Details) };
        }

        var context = evaluation.Context;
        var run = evaluation.Run;
        var written = outcome.ToWrite.ToState(context.NewStateId, context.Now);
        written = written with
        {
            StateDetails = written.StateDetails with
            {
                FlowRunId = run.Id,
                TaskRunId = run.ParentTaskRunId ?? written.StateDetails.TaskRunId,
                TransitionId = evaluation.TransitionId,
            },
        };

        var updated = AfterTransition(evaluation, Bookkeeping(run, current, written, context.Now));
        return new Transition<FlowRun>
        {
            Result = new OrchestrationResult(written, outcome.Status, outcome.Details),
            Written = written,
            Updated = updated,
        };
    }

    /// <summary>Prefect's global flow policy: the transforms every written state goes through.</summary>
    private static FlowRun Bookkeeping(FlowRun run, State? initial, State written, DateTimeOffset now)
    {
        var times = new RunTimes(run.StartTime, run.EndTime, run.TotalRunTime, run.ExpectedStartTime, run.NextScheduledStartTime)
            .After(initial, written);
        var policy = run.EmpiricalPolicy;
        var entersRunning = written.Type == StateType.Running;

        // A run resuming from a pause continues its attempt: entering RUNNING does not count a new one.
        var runCount = entersRunning && !policy.Resuming ? run.RunCount + 1 : run.RunCount;
        if (policy.Resuming && (entersRunning || written.IsTerminal()))
        {
            policy = policy with { Resuming = false };
        }

        return run with
        {
            Updated = now,
            StateId = written.Id,
            StateType = written.Type,
            StateName = written.Name,
            State = written,
            RunCount = runCount,
            EmpiricalPolicy = policy,
            StartTime = times.StartTime,
            EndTime = times.EndTime,
            TotalRunTime = times.TotalRunTime,
            ExpectedStartTime = times.ExpectedStartTime,
            NextScheduledStartTime = times.NextScheduledStartTime,
        };
    }

    /// <summary>The after-transition effects of the rules that let the written state through.</summary>
    private static FlowRun AfterTransition(FlowRunEvaluation evaluation, FlowRun run)
    {
        var policy = run.EmpiricalPolicy;
        if (evaluation.PauseKeyToRecord is { } key && !policy.PauseKeys.Contains(key))
        {
            policy = policy with { PauseKeys = [.. policy.PauseKeys, key] };
        }

        if (evaluation.MarkResuming)
        {
            policy = policy with { Resuming = true };
        }

        return ReferenceEquals(policy, run.EmpiricalPolicy) ? run : run with { EmpiricalPolicy = policy };
    }
}
