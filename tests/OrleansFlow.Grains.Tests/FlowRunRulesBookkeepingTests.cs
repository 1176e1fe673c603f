using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.Tests;

public sealed class FlowRunRulesBookkeepingTests
{
    [Fact]
    public void Propose_Running_UpdatesRunFieldsAndState()
    {
        var run = Runs.Flow(StateType.Pending);

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow());

        var written = Expect.Accepted(transition, StateType.Running);
        Assert.Equal(Runs.FlowRunId, written.StateDetails.FlowRunId);
        Assert.Null(written.StateDetails.TaskRunId);
        var updated = transition.Updated!;
        Assert.Same(written, updated.State);
        Assert.Equal(Make.NewStateId, updated.StateId);
        Assert.Equal(StateType.Running, updated.StateType);
        Assert.Equal("Running", updated.StateName);
        Assert.Equal(At.Now, updated.Updated);
        Assert.Equal(1, updated.RunCount);
        Assert.Equal(At.Now, updated.StartTime);
        Assert.Null(updated.EndTime);
        Assert.Equal(0, updated.TotalRunTime);
    }

    [Fact]
    public void Propose_RunningAgain_KeepsFirstStartTime()
    {
        var run = Runs.Flow(StateType.Scheduled, "AwaitingRetry", Make.ScheduledAt(At.Entered)) with { RunCount = 1, StartTime = At.Entered.AddMinutes(-1) };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow());

        Assert.Equal(run.StartTime, transition.Updated!.StartTime);
        Assert.Equal(2, transition.Updated.RunCount);
    }

    [Fact]
    public void Propose_CompletedFromRunning_SetsEndTimeAndAddsRunTime()
    {
        var run = Runs.RunningFlow() with { StartTime = At.Entered, TotalRunTime = 2.5 };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Completed, data: Make.UnpersistedResult), Contexts.Flow());

        var updated = transition.Updated!;
        Assert.Equal(At.Now, updated.EndTime);
        Assert.Equal(12.5, updated.TotalRunTime);
        Assert.Equal(1, updated.RunCount);
    }

    [Fact]
    public void Propose_CancelledWithoutStart_LeavesEndTimeUnset()
    {
        var transition = FlowRunRules.Propose(Runs.Flow(StateType.Pending), Make.Proposal(StateType.Cancelled), Contexts.Flow());

        Assert.Null(transition.Updated!.EndTime);
    }

    [Fact]
    public void Propose_ForcedRunningFromCompleted_ClearsEndTimeAndCountsRun()
    {
        var run = Runs.Flow(StateType.Completed, data: Make.PersistedResult) with { RunCount = 1, StartTime = At.Entered, EndTime = At.Entered };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow(force: true));

        Expect.Accepted(transition, StateType.Running);
        Assert.Null(transition.Updated!.EndTime);
        Assert.Equal(2, transition.Updated.RunCount);
    }

    [Fact]
    public void Propose_ForcedCancelledWhileCancelling_Accepts()
    {
        // 10-cancellation: the worker forces CANCELLED once the infrastructure is gone.
        var transition = FlowRunRules.Propose(Runs.Flow(StateType.Cancelling), Make.Proposal(StateType.Cancelled), Contexts.Flow(force: true));

        Expect.Accepted(transition, StateType.Cancelled);
    }

    [Fact]
    public void Propose_ForcedPending_SkipsPreventPendingRule()
    {
        var transition = FlowRunRules.Propose(Runs.Flow(StateType.Running), Make.Proposal(StateType.Pending), Contexts.Flow(force: true));

        Expect.Accepted(transition, StateType.Pending);
    }

    [Fact]
    public void Propose_ForcedPaused_DoesNotRecordPauseKey()
    {
        var transition = FlowRunRules.Propose(Runs.RunningFlow(), Make.Proposal(StateType.Paused, details: new StateDetails { PauseKey = "1" }), Contexts.Flow(force: true));

        Expect.Accepted(transition, StateType.Paused);
        Assert.Empty(transition.Updated!.EmpiricalPolicy.PauseKeys);
    }

    [Fact]
    public void Propose_InitialPendingOnNewRun_SetsExpectedStartTimeToNow()
    {
        var transition = FlowRunRules.Propose(Runs.Flow(null), Make.Proposal(StateType.Pending), Contexts.Flow(force: true));

        Expect.Accepted(transition, StateType.Pending);
        Assert.Equal(At.Now, transition.Updated!.ExpectedStartTime);
        Assert.Equal(0, transition.Updated.RunCount);
    }

    [Fact]
    public void Propose_InitialScheduledOnNewRun_SetsExpectedAndNextStartToScheduledTime()
    {
        var scheduledTime = At.Now.AddHours(1);

        var transition = FlowRunRules.Propose(Runs.Flow(null), Make.Proposal(StateType.Scheduled, details: Make.ScheduledAt(scheduledTime)), Contexts.Flow());

        var updated = transition.Updated!;
        Assert.Equal(scheduledTime, updated.ExpectedStartTime);
        Assert.Equal(scheduledTime, updated.NextScheduledStartTime);
    }

    [Fact]
    public void Propose_ExpectedStartTimeAlreadySet_KeepsIt()
    {
        var run = Runs.Flow(StateType.Pending) with { ExpectedStartTime = At.Entered };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow());

        Assert.Equal(At.Entered, transition.Updated!.ExpectedStartTime);
    }

    [Fact]
    public void Propose_LeavingScheduled_ClearsNextScheduledStartTime()
    {
        var run = Runs.Flow(StateType.Scheduled, details: Make.ScheduledAt(At.Entered)) with { NextScheduledStartTime = At.Entered };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Pending), Contexts.Flow());

        Assert.Null(transition.Updated!.NextScheduledStartTime);
    }

    [Fact]
    public void Propose_Subflow_PointsStateAtParentTaskRun()
    {
        var parentTaskRunId = Guid.NewGuid();
        var run = Runs.Flow(StateType.Pending) with { ParentTaskRunId = parentTaskRunId };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow());

        var details = Expect.Accepted(transition, StateType.Running).StateDetails;
        Assert.Equal(Runs.FlowRunId, details.FlowRunId);
        Assert.Equal(parentTaskRunId, details.TaskRunId);
    }

    [Fact]
    public void Propose_ProposalDetails_AreKeptAndRunIdsFilled()
    {
        var details = new StateDetails { FlowRunId = Guid.NewGuid(), UntrackableResult = true };

        var transition = FlowRunRules.Propose(Runs.RunningFlow(), Make.Proposal(StateType.Completed, details: details, message: "done"), Contexts.Flow());

        var written = Expect.Accepted(transition, StateType.Completed);
        Assert.Equal(Runs.FlowRunId, written.StateDetails.FlowRunId);
        Assert.True(written.StateDetails.UntrackableResult);
        Assert.Equal("done", written.Message);
    }

    [Fact]
    public void Propose_EmptyProposedName_UsesTypeName()
    {
        var transition = FlowRunRules.Propose(Runs.Flow(StateType.Pending), Make.Proposal(StateType.Running, name: ""), Contexts.Flow());

        Expect.Accepted(transition, StateType.Running, "Running");
    }

    [Fact]
    public void ParentTaskRunState_SubflowWritten_CopiesStateWithChildFlowRunId()
    {
        var run = Runs.RunningFlow() with { ParentTaskRunId = Guid.NewGuid() };
        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Completed, message: "ok", data: Make.UnpersistedResult), Contexts.Flow());

        var parentState = FlowRunRules.ParentTaskRunState(transition);

        Assert.NotNull(parentState);
        Assert.Equal(StateType.Completed, parentState.Type);
        Assert.Equal("Completed", parentState.Name);
        Assert.Equal("ok", parentState.Message);
        Assert.Equal(Runs.FlowRunId, parentState.StateDetails.ChildFlowRunId);
    }

    [Fact]
    public void ParentTaskRunState_TopLevelRun_IsNull()
    {
        var transition = FlowRunRules.Propose(Runs.RunningFlow(), Make.Proposal(StateType.Completed), Contexts.Flow());

        Assert.Null(FlowRunRules.ParentTaskRunState(transition));
    }

    [Fact]
    public void ParentTaskRunState_NothingWritten_IsNull()
    {
        var run = Runs.Flow(StateType.Cancelling) with { ParentTaskRunId = Guid.NewGuid() };
        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Failed), Contexts.Flow());

        Assert.Null(FlowRunRules.ParentTaskRunState(transition));
    }

    [Fact]
    public void Propose_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => FlowRunRules.Propose(null!, Make.Proposal(StateType.Running), Contexts.Flow()));
        Assert.Throws<ArgumentNullException>(() => FlowRunRules.Propose(Runs.RunningFlow(), null!, Contexts.Flow()));
        Assert.Throws<ArgumentNullException>(() => FlowRunRules.Resume(Runs.RunningFlow(), null!));
    }

    [Fact]
    public void Propose_Rejection_ReturnsCurrentStateWithoutRunUpdate()
    {
        var run = Runs.Flow(StateType.Cancelling);

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow());

        Assert.Equal(OrchestrationStatus.Reject, transition.Result.Status);
        Assert.Same(run.State, transition.Result.State);
        Assert.Null(transition.Updated);
    }
}
