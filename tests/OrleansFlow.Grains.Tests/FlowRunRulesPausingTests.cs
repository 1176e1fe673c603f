using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.Tests;

public sealed class FlowRunRulesPausingTests
{
    private static readonly StateDetails PauseOne = new() { PauseKey = "1", PauseTimeout = At.Now.AddMinutes(1) };

    [Fact]
    public void Propose_PausedWhileRunning_AcceptsAndRecordsPauseKey()
    {
        var run = Runs.RunningFlow();

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Paused, details: PauseOne), Contexts.Flow());

        var written = Expect.Accepted(transition, StateType.Paused);
        Assert.Equal(PauseOne.PauseTimeout, written.StateDetails.PauseTimeout);
        Assert.Equal(["1"], transition.Updated!.EmpiricalPolicy.PauseKeys);
        Assert.Equal(10, transition.Updated.TotalRunTime);
        Assert.Equal(1, transition.Updated.RunCount);
    }

    [Fact]
    public void Propose_PausedWithoutKey_RecordsNewStateIdAsKey()
    {
        var transition = FlowRunRules.Propose(Runs.RunningFlow(), Make.Proposal(StateType.Paused), Contexts.Flow());

        Expect.Accepted(transition, StateType.Paused);
        Assert.Equal([Make.NewStateId.ToString()], transition.Updated!.EmpiricalPolicy.PauseKeys);
    }

    [Fact]
    public void Propose_PausedWithUsedKey_RejectsKeepingState()
    {
        var run = Runs.RunningFlow() with { EmpiricalPolicy = new FlowRunPolicy { PauseKeys = ["1"] } };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Paused, details: PauseOne), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Reject, "This pause has already fired.", run.State);
    }

    [Fact]
    public void Propose_PausedWhilePending_Rejects()
    {
        var run = Runs.Flow(StateType.Pending);

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Paused, details: PauseOne), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Reject, "Cannot pause flows that are not currently running.", run.State);
    }

    [Fact]
    public void Propose_PausedWithoutState_AbortsWithNoState()
    {
        var transition = FlowRunRules.Propose(Runs.Flow(null), Make.Proposal(StateType.Paused), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Abort, "Cannot pause flows with no state.", null);
    }

    [Fact]
    public void Propose_PausedWithRescheduleInSubflow_Aborts()
    {
        var run = Runs.RunningFlow() with { ParentTaskRunId = Guid.NewGuid(), DeploymentId = Guid.NewGuid() };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Paused, details: PauseOne with { PauseReschedule = true }), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Abort, "Cannot pause subflows with the reschedule option.", run.State);
    }

    [Fact]
    public void Propose_PausedWithRescheduleWithoutDeployment_Aborts()
    {
        var run = Runs.RunningFlow();

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Paused, details: PauseOne with { PauseReschedule = true }), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Abort, "Cannot pause flows without a deployment with the reschedule option.", run.State);
    }

    [Fact]
    public void Propose_PausedWithRescheduleFromDeployment_Accepts()
    {
        var run = Runs.RunningFlow() with { DeploymentId = Guid.NewGuid() };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Paused, details: PauseOne with { PauseReschedule = true }), Contexts.Flow());

        var written = Expect.Accepted(transition, StateType.Paused);
        Assert.True(written.StateDetails.PauseReschedule);
    }

    [Theory]
    [InlineData(StateType.Pending, "This run cannot transition to the PENDING state from the PAUSED state.")]
    [InlineData(StateType.Cancelling, "This run cannot transition to the CANCELLING state from the PAUSED state.")]
    [InlineData(StateType.Paused, "Cannot pause flows that are not currently running.")]
    public void Propose_LeavingPausedForUnsupportedState_Rejects(StateType to, string reason)
    {
        var run = Runs.Flow(StateType.Paused, details: PauseOne);

        var transition = FlowRunRules.Propose(run, Make.Proposal(to), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Reject, reason, run.State);
    }

    [Fact]
    public void Propose_RunningFromPaused_AcceptsAndMarksResuming()
    {
        var run = Runs.Flow(StateType.Paused, details: PauseOne) with { RunCount = 1 };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow());

        Expect.Accepted(transition, StateType.Running);
        Assert.True(transition.Updated!.EmpiricalPolicy.Resuming);
        Assert.Equal(2, transition.Updated.RunCount);
    }

    [Fact]
    public void Propose_CompletedFromPaused_AcceptsAndMarksResuming()
    {
        var run = Runs.Flow(StateType.Paused, details: PauseOne);

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Completed), Contexts.Flow());

        Expect.Accepted(transition, StateType.Completed);
        Assert.True(transition.Updated!.EmpiricalPolicy.Resuming);
    }

    [Fact]
    public void Propose_RescheduledPauseWithoutDeployment_Rejects()
    {
        var run = Runs.Flow(StateType.Paused, details: PauseOne with { PauseReschedule = true });

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Reject, "Cannot reschedule a paused flow run without a deployment.", run.State);
    }

    [Fact]
    public void Propose_RunningAfterPauseTimeout_WritesFailed()
    {
        var run = Runs.Flow(StateType.Paused, details: PauseOne with { PauseTimeout = At.Now.AddSeconds(-1) }) with { StartTime = At.Entered };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow());

        var written = Expect.Written(transition, OrchestrationStatus.Reject, StateType.Failed, "Failed");
        Assert.Equal("The flow run pause has timed out and can no longer resume.", transition.Result.Details.Reason);
        Assert.Equal("The flow was paused and never resumed.", written.Message);
        Assert.Equal(At.Now, transition.Updated!.EndTime);
    }

    [Fact]
    public void Resume_NotPaused_AbortsWithoutState()
    {
        var transition = FlowRunRules.Resume(Runs.RunningFlow(), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Abort, "Cannot resume a flow run that is not paused.", null);
    }

    [Fact]
    public void Resume_WithoutState_AbortsWithoutState()
    {
        var transition = FlowRunRules.Resume(Runs.Flow(null), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Abort, "Cannot resume a flow run that is not paused.", null);
    }

    [Fact]
    public void Resume_Paused_WritesRunningAsTrafficShows()
    {
        // 11-pause-resume: after resume the run is RUNNING, run_count 2, resuming true, pause keys kept.
        var run = Runs.Flow(StateType.Paused, details: PauseOne) with
        {
            RunCount = 1,
            StartTime = At.Entered.AddSeconds(-1),
            TotalRunTime = 0.247185,
            EmpiricalPolicy = new FlowRunPolicy { PauseKeys = ["1"] },
        };

        var transition = FlowRunRules.Resume(run, Contexts.Flow());

        var written = Expect.Accepted(transition, StateType.Running);
        Assert.Null(written.StateDetails.PauseTimeout);
        var updated = transition.Updated!;
        Assert.Equal(2, updated.RunCount);
        Assert.True(updated.EmpiricalPolicy.Resuming);
        Assert.Equal(["1"], updated.EmpiricalPolicy.PauseKeys);
        Assert.Equal(0.247185, updated.TotalRunTime);
        Assert.Equal(run.StartTime, updated.StartTime);
    }

    [Fact]
    public void Resume_PausedWithReschedule_WritesResumingScheduledNow()
    {
        var run = Runs.Flow(StateType.Paused, details: PauseOne with { PauseReschedule = true }) with { DeploymentId = Guid.NewGuid() };

        var transition = FlowRunRules.Resume(run, Contexts.Flow());

        var written = Expect.Accepted(transition, StateType.Scheduled, "Resuming");
        Assert.Equal(At.Now, written.StateDetails.ScheduledTime);
        Assert.Equal(At.Now, transition.Updated!.NextScheduledStartTime);
        Assert.True(transition.Updated.EmpiricalPolicy.Resuming);
    }

    [Fact]
    public void Resume_ForcedContext_StillAppliesRules()
    {
        var run = Runs.Flow(StateType.Paused, details: PauseOne with { PauseReschedule = true });

        var transition = FlowRunRules.Resume(run, Contexts.Flow(force: true));

        Expect.NotWritten(transition, OrchestrationStatus.Reject, "Cannot reschedule a paused flow run without a deployment.", run.State);
    }

    [Fact]
    public void Propose_RunningAfterRescheduledResume_ContinuesSameAttempt()
    {
        var paused = Runs.Flow(StateType.Paused, details: PauseOne with { PauseReschedule = true }) with { DeploymentId = Guid.NewGuid(), RunCount = 1 };

        var resumed = FlowRunRules.Resume(paused, Contexts.Flow()).Updated!;
        var pending = FlowRunRules.Propose(resumed, Make.Proposal(StateType.Pending), Contexts.Flow()).Updated!;
        var running = FlowRunRules.Propose(pending, Make.Proposal(StateType.Running), Contexts.Flow()).Updated!;

        Assert.Equal(StateType.Running, running.StateType);
        Assert.Equal(1, running.RunCount);
        Assert.False(running.EmpiricalPolicy.Resuming);
    }
}
