using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.TaskRuns;

/// <summary>Prefect's core task-run orchestration policy as pure functions.</summary>
/// <remarks>The rules follow Prefect 2.10's <c>CoreTaskPolicy</c>, in its order; the universal transforms
/// (run count, start/end/run times, expected start time, state details) and the release of concurrency
/// slots apply to every written state, forced or not. Nothing here reads the clock or does I/O:
/// <see cref="TaskRunRuleContext"/> carries the flow run, the cached state and the tag limits.</remarks>
public static partial class TaskRunRules
{
    private static readonly Action<TaskRunEvaluation>[] CorePolicy =
    [
        CacheRetrieval,
        HandleTaskTerminalStateTransitions,
        PreventRunningTasksFromStoppedFlows,
        SecureTaskConcurrencySlots,
        CopyScheduledTime,
        WaitForScheduledTime,
        RetryFailedTasks,
        RenameReruns,
    ];

    /// <summary>Decides a proposed state for a task run, applies the bookkeeping and lists the side records.</summary>
    /// <param name="run">The run as stored, with its current state (null for a run being created).</param>
    /// <param name="proposed">The state the client proposes.</param>
    /// <param name="context">The time, the id for a written state, <c>force</c>, and what the rules read.</param>
    /// <returns>The answer plus the slots to take or give back and the state to cache.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static TaskRunTransition Propose(TaskRun run, ProposedState proposed, TaskRunRuleContext context)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(proposed);
        ArgumentNullException.ThrowIfNull(context);

        var evaluation = new TaskRunEvaluation(run, proposed, context);
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

    private static TaskRunTransition Complete(TaskRunEvaluation evaluation)
    {
        var outcome = evaluation.Outcome;
        var current = evaluation.Original.State;
        if (outcome.ToWrite is null)
        {
            return new TaskRunTransition
            {
                Transition = new Transition<TaskRun> { Result = new OrchestrationResult(current, outcome.Status, outcome.Details) },
            };
        }

        var context = evaluation.Context;
        var run = evaluation.Run;
        var written = outcome.ToWrite.ToState(context.NewStateId, context.Now);
        written = written with
        {
            StateDetails = written.StateDetails with { FlowRunId = run.FlowRunId, TaskRunId = run.Id, TransitionId = evaluation.TransitionId },
        };

        var updated = Bookkeeping(run, current, written, context.Now);

        // The last rules of the policy complete only when the proposal itself is written.
        var proposalWritten = !context.Force && !evaluation.Decided;
        if (proposalWritten && written.Type == StateType.Running && context.FlowRun is { } flowRun)
        {
            updated = updated with { FlowRunRunCount = flowRun.RunCount };
        }

        return new TaskRunTransition
        {
            Transition = new Transition<TaskRun>
            {
                Result = new OrchestrationResult(written, outcome.Status, outcome.Details),
                Written = written,
                Updated = updated,
            },
            AcquireSlots = written.Type == StateType.Running ? evaluation.SlotsToAcquire : [],
            ReleaseSlots = ReleasesSlots(run, written),
            CacheInsert = proposalWritten && written.Type == StateType.Completed && !string.IsNullOrEmpty(written.StateDetails.CacheKey)
                ? written
                : null,
        };
    }

    /// <summary>Prefect's global task policy: the transforms every written state goes through.</summary>
    private static TaskRun Bookkeeping(TaskRun run, State? initial, State written, DateTimeOffset now)
    {
        var times = new RunTimes(run.StartTime, run.EndTime, run.TotalRunTime, run.ExpectedStartTime, run.NextScheduledStartTime)
            .After(initial, written);
        return run with
        {
            Updated = now,
            StateId = written.Id,
            StateType = written.Type,
            StateName = written.Name,
            State = written,
            RunCount = written.Type == StateType.Running ? run.RunCount + 1 : run.RunCount,
            StartTime = times.StartTime,
            EndTime = times.EndTime,
            TotalRunTime = times.TotalRunTime,
            ExpectedStartTime = times.ExpectedStartTime,
            NextScheduledStartTime = times.NextScheduledStartTime,
        };
    }
}
