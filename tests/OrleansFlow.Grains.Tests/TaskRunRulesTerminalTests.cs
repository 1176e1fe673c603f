using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Grains.Tests;

public sealed class TaskRunRulesTerminalTests
{
    [Fact]
    public void Propose_RunningWhenCompletedWithPersistedResult_RejectsKeepingState()
    {
        // 13-flow-retries-and-hooks: on the flow's retry the completed task answers REJECT (HTTP 200).
        var run = Runs.Task(StateType.Completed, data: Make.PersistedResult) with { RunCount = 1, FlowRunRunCount = 1 };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Task(flowRun: Runs.RunningFlow(2)));

        Expect.NotWritten(result.Transition, OrchestrationStatus.Reject, "This run is already completed.", run.State);
        Assert.False(result.ReleaseSlots);
    }

    [Fact]
    public void Propose_RunningWhenCompletedUnpersisted_RunsAgainWithFreshCount()
    {
        var run = Runs.Task(StateType.Completed, data: Make.UnpersistedResult) with { RunCount = 1, FlowRunRunCount = 1, EndTime = At.Entered };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Task());

        Expect.Accepted(result.Transition, StateType.Running);
        Assert.Equal(1, result.Transition.Updated!.RunCount);
        Assert.Null(result.Transition.Updated.EndTime);
    }

    [Fact]
    public void Propose_RunningWhenFailedAndFlowRetrying_AcceptsAsRetrying()
    {
        var run = Runs.Task(StateType.Failed) with { RunCount = 3, FlowRunRunCount = 1 };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Task(flowRun: Runs.RunningFlow(2)));

        Expect.Accepted(result.Transition, StateType.Running, "Retrying");
        Assert.Equal(1, result.Transition.Updated!.RunCount);
        Assert.Equal(2, result.Transition.Updated.FlowRunRunCount);
    }

    [Fact]
    public void Propose_RunningWhenFailedInSameFlowAttempt_AcceptsAsRunning()
    {
        var run = Runs.Task(StateType.Failed) with { RunCount = 1, FlowRunRunCount = 1 };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Task());

        Expect.Accepted(result.Transition, StateType.Running);
        Assert.Equal(1, result.Transition.Updated!.RunCount);
    }

    [Fact]
    public void Propose_RetriesAfterFlowRetry_StartCountingAgain()
    {
        var run = Runs.Task(StateType.Failed) with { RunCount = 2, FlowRunRunCount = 1, EmpiricalPolicy = new TaskRunPolicy { Retries = 1 } };
        var rerun = TaskRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Task(flowRun: Runs.RunningFlow(2))).Transition.Updated!;

        var result = TaskRunRules.Propose(rerun, Make.Proposal(StateType.Failed), Contexts.Task(flowRun: Runs.RunningFlow(2)));

        Expect.Written(result.Transition, OrchestrationStatus.Reject, StateType.Scheduled, "AwaitingRetry");
    }

    [Theory]
    [InlineData(StateType.Failed, StateType.Cancelling, "Run is already FAILED.")]
    [InlineData(StateType.Completed, StateType.Paused, "Run is already COMPLETED.")]
    [InlineData(StateType.Cancelled, StateType.Crashed, "Run is already CANCELLED.")]
    public void Propose_TerminalToCancellingPausedOrCrashed_Aborts(StateType from, StateType to, string reason)
    {
        var run = Runs.Task(from);

        var result = TaskRunRules.Propose(run, Make.Proposal(to), Contexts.Task());

        Expect.NotWritten(result.Transition, OrchestrationStatus.Abort, reason, run.State);
    }

    [Fact]
    public void Propose_FailedToCompleted_KeepsRunCount()
    {
        var run = Runs.Task(StateType.Failed) with { RunCount = 2 };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Completed), Contexts.Task());

        Expect.Accepted(result.Transition, StateType.Completed);
        Assert.Equal(2, result.Transition.Updated!.RunCount);
    }

    [Theory]
    [InlineData(StateType.Cancelling)]
    [InlineData(StateType.Completed)]
    [InlineData(StateType.Pending)]
    [InlineData(StateType.Scheduled)]
    public void Propose_RunningWhileFlowNotRunning_Aborts(StateType flowState)
    {
        // 10-cancellation: a task proposing RUNNING in a CANCELLING flow run gets ABORT with its current state.
        var run = Runs.Task(StateType.Pending);

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Task(flowRun: Runs.Flow(flowState)));

        Expect.NotWritten(result.Transition, OrchestrationStatus.Abort, "The enclosing flow must be running to begin task execution.", run.State);
    }

    [Fact]
    public void Propose_RunningWhileFlowHasNoState_Aborts()
    {
        var run = Runs.Task(StateType.Pending);

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Task(flowRun: Runs.Flow(null)));

        Expect.NotWritten(result.Transition, OrchestrationStatus.Abort, "The enclosing flow must be running to begin task execution.", run.State);
    }

    [Fact]
    public void Propose_RunningWhileFlowPaused_WritesNotReadyPause()
    {
        var pauseTimeout = At.Now.AddMinutes(1);
        var flowRun = Runs.Flow(StateType.Paused, details: new StateDetails { PauseTimeout = pauseTimeout, PauseKey = "1" });

        var result = TaskRunRules.Propose(Runs.Task(StateType.Pending), Make.Proposal(StateType.Running), Contexts.Task(flowRun: flowRun));

        var written = Expect.Written(result.Transition, OrchestrationStatus.Reject, StateType.Paused, "NotReady");
        Assert.Equal($"The flow is paused, new tasks can execute after resuming flow run: {Runs.FlowRunId}.", result.Transition.Result.Details.Reason);
        Assert.Equal(pauseTimeout, written.StateDetails.PauseTimeout);
        Assert.Null(written.StateDetails.PauseKey);
        Assert.Equal(0, result.Transition.Updated!.RunCount);
    }

    [Fact]
    public void Propose_RunningWhenFailedWhileFlowPaused_RestoresRunCount()
    {
        var run = Runs.Task(StateType.Failed) with { RunCount = 2 };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Task(flowRun: Runs.Flow(StateType.Paused)));

        Expect.Written(result.Transition, OrchestrationStatus.Reject, StateType.Paused, "NotReady");
        Assert.Equal(2, result.Transition.Updated!.RunCount);
    }

    [Fact]
    public void Propose_RunningWithoutKnownFlowRun_Accepts()
    {
        var result = TaskRunRules.Propose(Runs.Task(StateType.Pending), Make.Proposal(StateType.Running), Contexts.Task() with { FlowRun = null });

        Expect.Accepted(result.Transition, StateType.Running);
        Assert.Equal(0, result.Transition.Updated!.FlowRunRunCount);
    }

    [Fact]
    public void Propose_CompletedWhileFlowCancelling_Accepts()
    {
        var result = TaskRunRules.Propose(Runs.Task(StateType.Running), Make.Proposal(StateType.Completed), Contexts.Task(flowRun: Runs.Flow(StateType.Cancelling)));

        Expect.Accepted(result.Transition, StateType.Completed);
    }
}
