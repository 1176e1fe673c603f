using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.Tests;

public sealed class FlowRunRulesTerminalTests
{
    [Fact]
    public void Propose_CompletedWithPersistedResultToRunning_RejectsKeepingState()
    {
        var run = Runs.Flow(StateType.Completed, data: Make.PersistedResult);

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Reject, "This run is already completed.", run.State);
        Assert.Equal("reject_details", transition.Result.Details.Type);
    }

    [Fact]
    public void Propose_CompletedWithPersistedResultToCompleted_Rejects()
    {
        var run = Runs.Flow(StateType.Completed, data: Make.PersistedResult);

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Completed), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Reject, "This run is already completed.", run.State);
    }

    [Fact]
    public void Propose_CompletedWithUnpersistedResultToRunning_AcceptsAndForgetsPauses()
    {
        var run = Runs.Flow(StateType.Completed, data: Make.UnpersistedResult) with
        {
            EndTime = At.Entered,
            EmpiricalPolicy = new FlowRunPolicy { PauseKeys = ["1"], Resuming = true },
        };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow());

        Expect.Accepted(transition, StateType.Running);
        Assert.Empty(transition.Updated!.EmpiricalPolicy.PauseKeys);
        Assert.False(transition.Updated.EmpiricalPolicy.Resuming);
        Assert.Null(transition.Updated.EndTime);
    }

    [Fact]
    public void Propose_CompletedWithoutDataToRunning_Accepts()
    {
        var transition = FlowRunRules.Propose(Runs.Flow(StateType.Completed), Make.Proposal(StateType.Running), Contexts.Flow());

        Expect.Accepted(transition, StateType.Running);
    }

    [Theory]
    [InlineData(StateType.Failed, StateType.Cancelling, "Run is already FAILED.")]
    [InlineData(StateType.Failed, StateType.Paused, "Run is already FAILED.")]
    [InlineData(StateType.Crashed, StateType.Crashed, "Run is already CRASHED.")]
    [InlineData(StateType.Completed, StateType.Cancelling, "Run is already COMPLETED.")]
    [InlineData(StateType.Cancelled, StateType.Paused, "Run is already CANCELLED.")]
    public void Propose_TerminalToCancellingPausedOrCrashed_Aborts(StateType from, StateType to, string reason)
    {
        var run = Runs.Flow(from);

        var transition = FlowRunRules.Propose(run, Make.Proposal(to), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Abort, reason, run.State);
        Assert.Equal("abort_details", transition.Result.Details.Type);
    }

    [Fact]
    public void Propose_FailedToScheduledWithoutDeployment_Aborts()
    {
        var run = Runs.Flow(StateType.Failed);

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Scheduled, details: Make.ScheduledAt(At.Now)), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Abort, "Cannot reschedule a run without an associated deployment.", run.State);
    }

    [Fact]
    public void Propose_FailedToScheduledWithDeployment_AcceptsAndForgetsPauses()
    {
        var run = Runs.Flow(StateType.Failed) with
        {
            DeploymentId = Guid.NewGuid(),
            EmpiricalPolicy = new FlowRunPolicy { PauseKeys = ["1"], Resuming = true },
        };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Scheduled, "AwaitingRetry", Make.ScheduledAt(At.Now)), Contexts.Flow());

        Expect.Accepted(transition, StateType.Scheduled, "AwaitingRetry");
        Assert.Empty(transition.Updated!.EmpiricalPolicy.PauseKeys);
        Assert.False(transition.Updated.EmpiricalPolicy.Resuming);
    }

    [Fact]
    public void Propose_FailedToRunning_AcceptsAdHocRerun()
    {
        var run = Runs.Flow(StateType.Failed) with { RunCount = 1 };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow());

        Expect.Accepted(transition, StateType.Running);
        Assert.Equal(2, transition.Updated!.RunCount);
    }

    [Fact]
    public void Propose_FailedToCompleted_AcceptsKeepingPauseKeys()
    {
        var run = Runs.Flow(StateType.Failed) with { EmpiricalPolicy = new FlowRunPolicy { PauseKeys = ["1"] } };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Completed), Contexts.Flow());

        Expect.Accepted(transition, StateType.Completed);
        Assert.Equal(["1"], transition.Updated!.EmpiricalPolicy.PauseKeys);
    }

    [Theory]
    [InlineData(StateType.Failed)]
    [InlineData(StateType.Running)]
    [InlineData(StateType.Completed)]
    [InlineData(StateType.Cancelling)]
    [InlineData(StateType.Pending)]
    public void Propose_CancellingToOtherThanCancelled_RejectsKeepingCancelling(StateType to)
    {
        var run = Runs.Flow(StateType.Cancelling);

        var transition = FlowRunRules.Propose(run, Make.Proposal(to), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Reject, "Cannot transition flows that are cancelling to a state other than Cancelled.", run.State);
    }

    [Fact]
    public void Propose_CancellingToCancelled_Accepts()
    {
        var transition = FlowRunRules.Propose(Runs.Flow(StateType.Cancelling), Make.Proposal(StateType.Cancelled), Contexts.Flow());

        Expect.Accepted(transition, StateType.Cancelled);
    }

    [Fact]
    public void Propose_CancellingWhileScheduledWithoutInfrastructure_WritesCancelled()
    {
        var run = Runs.Flow(StateType.Scheduled, details: Make.ScheduledAt(At.Now.AddHours(1)));

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Cancelling), Contexts.Flow());

        Expect.Written(transition, OrchestrationStatus.Reject, StateType.Cancelled, "Cancelled");
        Assert.Equal("Scheduled flow run has no infrastructure to terminate.", transition.Result.Details.Reason);
        Assert.Equal(StateType.Cancelled, transition.Updated!.StateType);
        Assert.Null(transition.Updated.NextScheduledStartTime);
    }

    [Fact]
    public void Propose_CancellingWithMessageWhileScheduledWithoutInfrastructure_WritesCancelledWithTheMessage()
    {
        var run = Runs.Flow(StateType.Scheduled, details: Make.ScheduledAt(At.Now.AddHours(1)));

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Cancelling, message: "Cancelled from the UI"), Contexts.Flow());

        Assert.Equal(StateType.Cancelled, transition.Written!.Type);
        Assert.Equal("Cancelled from the UI", transition.Written.Message);
    }

    [Fact]
    public void Propose_CancelledWithoutMessageWhileCancelling_KeepsTheCancellingMessage()
    {
        var run = Runs.Flow(StateType.Cancelling);
        run = Runs.WithState(run, run.State! with { Message = "Cancelled from the UI" });

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Cancelled), Contexts.Flow());

        Assert.Equal("Cancelled from the UI", transition.Written!.Message);
    }

    [Fact]
    public void Propose_CancelledWithItsOwnMessageWhileCancelling_KeepsItsMessage()
    {
        var run = Runs.Flow(StateType.Cancelling);
        run = Runs.WithState(run, run.State! with { Message = "Cancelled from the UI" });

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Cancelled, message: "The worker killed the run's process."), Contexts.Flow());

        Assert.Equal("The worker killed the run's process.", transition.Written!.Message);
    }

    [Fact]
    public void Propose_CancellingWhileScheduledWithInfrastructure_AcceptsCancelling()
    {
        var run = Runs.Flow(StateType.Scheduled) with { InfrastructurePid = "4242" };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Cancelling), Contexts.Flow());

        Expect.Accepted(transition, StateType.Cancelling);
    }

    [Fact]
    public void Propose_CancellingWhileResumingWithInfrastructure_WritesCancelled()
    {
        var run = Runs.Flow(StateType.Scheduled, "Resuming") with { InfrastructurePid = "4242" };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Cancelling), Contexts.Flow());

        Expect.Written(transition, OrchestrationStatus.Reject, StateType.Cancelled, "Cancelled");
    }

    [Fact]
    public void Propose_CancellingWhileSuspended_WritesCancelled()
    {
        var run = Runs.Flow(StateType.Paused, details: new StateDetails { PauseReschedule = true }) with { DeploymentId = Guid.NewGuid() };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Cancelling), Contexts.Flow());

        Expect.Written(transition, OrchestrationStatus.Reject, StateType.Cancelled, "Cancelled");
        Assert.Equal("Suspended flow run has no infrastructure to terminate.", transition.Result.Details.Reason);
    }

    [Fact]
    public void Propose_CancellingWhileRunning_AcceptsCancelling()
    {
        var transition = FlowRunRules.Propose(Runs.Flow(StateType.Running), Make.Proposal(StateType.Cancelling), Contexts.Flow());

        Expect.Accepted(transition, StateType.Cancelling);
    }

    [Theory]
    [InlineData(StateType.Pending, "This run is in a PENDING state and cannot transition to a PENDING state.")]
    [InlineData(StateType.Running, "This run is in a RUNNING state and cannot transition to a PENDING state.")]
    [InlineData(StateType.Cancelled, "This run is in a CANCELLED state and cannot transition to a PENDING state.")]
    public void Propose_PendingWhenAlreadySubmitted_Aborts(StateType from, string reason)
    {
        var run = Runs.Flow(from);

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Pending), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Abort, reason, run.State);
    }

    [Fact]
    public void Propose_SecondWorkerSubmitsSameRun_OnlyFirstPendingIsAccepted()
    {
        var scheduled = Runs.Flow(StateType.Scheduled, details: Make.ScheduledAt(At.Entered));

        var first = FlowRunRules.Propose(scheduled, Make.Proposal(StateType.Pending), Contexts.Flow());
        var second = FlowRunRules.Propose(first.Updated!, Make.Proposal(StateType.Pending), Contexts.Flow());

        Expect.Accepted(first, StateType.Pending);
        Expect.NotWritten(second, OrchestrationStatus.Abort, "This run is in a PENDING state and cannot transition to a PENDING state.", first.Written);
    }

    [Fact]
    public void Propose_LateWhileRunning_RejectsKeepingState()
    {
        var run = Runs.Flow(StateType.Running);

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Scheduled, "Late", Make.ScheduledAt(At.Entered)), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Reject, "Only scheduled flows can be marked late.", run.State);
    }

    [Fact]
    public void Propose_LateWhileScheduled_Accepts()
    {
        var run = Runs.Flow(StateType.Scheduled, details: Make.ScheduledAt(At.Entered));

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Scheduled, "Late", Make.ScheduledAt(At.Entered)), Contexts.Flow());

        Expect.Accepted(transition, StateType.Scheduled, "Late");
    }
}
