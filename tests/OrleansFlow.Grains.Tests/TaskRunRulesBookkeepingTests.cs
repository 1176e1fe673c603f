using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Grains.Tests;

public sealed class TaskRunRulesBookkeepingTests
{
    [Fact]
    public void Propose_Running_UpdatesRunFieldsAndState()
    {
        var result = TaskRunRules.Propose(Runs.Task(StateType.Pending), Make.Proposal(StateType.Running), Contexts.Task(flowRun: Runs.RunningFlow(3)));

        var written = Expect.Accepted(result.Transition, StateType.Running);
        Assert.Equal(Runs.FlowRunId, written.StateDetails.FlowRunId);
        Assert.Equal(Runs.TaskRunId, written.StateDetails.TaskRunId);
        var updated = result.Transition.Updated!;
        Assert.Same(written, updated.State);
        Assert.Equal(Make.NewStateId, updated.StateId);
        Assert.Equal(StateType.Running, updated.StateType);
        Assert.Equal("Running", updated.StateName);
        Assert.Equal(At.Now, updated.Updated);
        Assert.Equal(1, updated.RunCount);
        Assert.Equal(3, updated.FlowRunRunCount);
        Assert.Equal(At.Now, updated.StartTime);
        Assert.Equal(At.Now, updated.ExpectedStartTime);
    }

    [Fact]
    public void Propose_CompletedFromRunning_SetsEndTimeAndRunTime()
    {
        var run = Runs.Task(StateType.Running) with { RunCount = 1, StartTime = At.Entered };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Completed), Contexts.Task());

        var updated = result.Transition.Updated!;
        Assert.Equal(At.Now, updated.EndTime);
        Assert.Equal(10, updated.TotalRunTime);
        Assert.Equal(1, updated.RunCount);
        Assert.Equal(0, updated.FlowRunRunCount);
    }

    [Fact]
    public void Propose_InitialPendingOnNewRun_SetsExpectedStartTime()
    {
        var result = TaskRunRules.Propose(Runs.Task(null), Make.Proposal(StateType.Pending), Contexts.Task(force: true));

        Expect.Accepted(result.Transition, StateType.Pending);
        Assert.Equal(At.Now, result.Transition.Updated!.ExpectedStartTime);
        Assert.False(result.ReleaseSlots);
    }

    [Fact]
    public void Propose_ForcedRunningFromCompleted_AcceptsAndCounts()
    {
        var run = Runs.Task(StateType.Completed, data: Make.PersistedResult) with { RunCount = 1, StartTime = At.Entered, EndTime = At.Entered };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Task(force: true));

        Expect.Accepted(result.Transition, StateType.Running);
        Assert.Equal(2, result.Transition.Updated!.RunCount);
        Assert.Null(result.Transition.Updated.EndTime);
        Assert.Equal(0, result.Transition.Updated.FlowRunRunCount);
    }

    [Fact]
    public void Propose_PendingFromScheduled_CopiesScheduledTimeAndClearsNextStart()
    {
        var run = Runs.Task(StateType.Scheduled, details: Make.ScheduledAt(At.Entered)) with { NextScheduledStartTime = At.Entered };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Pending), Contexts.Task());

        Assert.Equal(At.Entered, Expect.Accepted(result.Transition, StateType.Pending).StateDetails.ScheduledTime);
        Assert.Null(result.Transition.Updated!.NextScheduledStartTime);
    }

    [Fact]
    public void Propose_RunningBeforeRetryIsDue_WaitsWithCurrentState()
    {
        var run = Runs.Task(StateType.Scheduled, "AwaitingRetry", Make.ScheduledAt(At.Now.AddSeconds(0.97))) with { RunCount = 1 };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Task());

        Expect.NotWritten(result.Transition, OrchestrationStatus.Wait, "Scheduled time is in the future", run.State);
        Assert.Equal(1, result.Transition.Result.Details.DelaySeconds);
        Assert.Null(result.CacheInsert);
        Assert.False(result.ReleaseSlots);
    }

    [Fact]
    public void Propose_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => TaskRunRules.Propose(null!, Make.Proposal(StateType.Running), Contexts.Task()));
        Assert.Throws<ArgumentNullException>(() => TaskRunRules.Propose(Runs.Task(StateType.Pending), Make.Proposal(StateType.Running), null!));
    }
}
