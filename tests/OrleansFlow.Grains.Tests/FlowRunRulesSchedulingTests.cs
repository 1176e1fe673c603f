using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.Tests;

public sealed class FlowRunRulesSchedulingTests
{
    [Fact]
    public void Propose_PendingFromScheduled_CopiesScheduledTime()
    {
        var scheduledTime = At.Entered.AddSeconds(-5);

        var transition = FlowRunRules.Propose(Runs.Flow(StateType.Scheduled, details: Make.ScheduledAt(scheduledTime)), Make.Proposal(StateType.Pending), Contexts.Flow());

        var written = Expect.Accepted(transition, StateType.Pending);
        Assert.Equal(scheduledTime, written.StateDetails.ScheduledTime);
        Assert.Null(transition.Updated!.NextScheduledStartTime);
    }

    [Fact]
    public void Propose_PendingWithOwnScheduledTime_KeepsIt()
    {
        var own = At.Now.AddSeconds(-1);

        var transition = FlowRunRules.Propose(Runs.Flow(StateType.Scheduled, details: Make.ScheduledAt(At.Entered)), Make.Proposal(StateType.Pending, details: Make.ScheduledAt(own)), Contexts.Flow());

        Assert.Equal(own, Expect.Accepted(transition, StateType.Pending).StateDetails.ScheduledTime);
    }

    [Fact]
    public void Propose_RunningBeforeScheduledTime_Waits()
    {
        var run = Runs.Flow(StateType.Scheduled, "AwaitingRetry", Make.ScheduledAt(At.Now.AddSeconds(0.95)));

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Wait, "Scheduled time is in the future", run.State);
        Assert.Equal(1, transition.Result.Details.DelaySeconds);
        Assert.Equal("wait_details", transition.Result.Details.Type);
    }

    [Fact]
    public void Propose_RunningFromPendingBeforeScheduledTime_Waits()
    {
        var run = Runs.Flow(StateType.Pending, details: Make.ScheduledAt(At.Now.AddSeconds(90)));

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Wait, "Scheduled time is in the future", run.State);
        Assert.Equal(90, transition.Result.Details.DelaySeconds);
    }

    [Theory]
    [InlineData(-5.0)]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void Propose_RunningAtOrWithinHalfSecondOfScheduledTime_Accepts(double secondsAhead)
    {
        var run = Runs.Flow(StateType.Scheduled, details: Make.ScheduledAt(At.Now.AddSeconds(secondsAhead)));

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow());

        Expect.Accepted(transition, StateType.Running);
    }

    [Fact]
    public void Propose_FailedWithRetriesLeft_WritesAwaitingRetry()
    {
        // 13-flow-retries-and-hooks: retries=1, retry_delay=1, first attempt fails.
        var run = Runs.RunningFlow() with
        {
            StartTime = At.Entered,
            EmpiricalPolicy = new FlowRunPolicy { Retries = 1, RetryDelay = 1, PauseKeys = ["1"] },
        };
        var failure = Make.Proposal(StateType.Failed, message: "Flow run encountered an exception. RuntimeError: first attempt fails\n", data: Make.UnpersistedResult);

        var transition = FlowRunRules.Propose(run, failure, Contexts.Flow());

        var written = Expect.Written(transition, OrchestrationStatus.Reject, StateType.Scheduled, "AwaitingRetry");
        Assert.Equal("Retrying", transition.Result.Details.Reason);
        Assert.Equal(failure.Message, written.Message);
        Assert.Equal("unpersisted", written.Data!.Value.GetProperty("type").GetString());
        Assert.Equal(At.Now.AddSeconds(1), written.StateDetails.ScheduledTime);
        Assert.Equal(Runs.FlowRunId, written.StateDetails.FlowRunId);
        var updated = transition.Updated!;
        Assert.Equal(At.Now.AddSeconds(1), updated.NextScheduledStartTime);
        Assert.Empty(updated.EmpiricalPolicy.PauseKeys);
        Assert.Null(updated.EndTime);
        Assert.Equal(10, updated.TotalRunTime);
    }

    [Fact]
    public void Propose_FailedWithoutRetryDelay_RetriesNow()
    {
        var run = Runs.RunningFlow() with { EmpiricalPolicy = new FlowRunPolicy { Retries = 2 } };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Failed), Contexts.Flow());

        Assert.Equal(At.Now, Expect.Written(transition, OrchestrationStatus.Reject, StateType.Scheduled, "AwaitingRetry").StateDetails.ScheduledTime);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    public void Propose_FailedWithoutRetriesLeft_AcceptsFailed(int? retries, int runCount)
    {
        var run = Runs.RunningFlow(runCount) with { StartTime = At.Entered, EmpiricalPolicy = new FlowRunPolicy { Retries = retries } };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Failed), Contexts.Flow());

        Expect.Accepted(transition, StateType.Failed);
        Assert.Equal(At.Now, transition.Updated!.EndTime);
    }

    [Fact]
    public void Propose_CrashedWithRetriesLeft_AcceptsCrashed()
    {
        var run = Runs.RunningFlow() with { EmpiricalPolicy = new FlowRunPolicy { Retries = 3 } };

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Crashed), Contexts.Flow());

        Expect.Accepted(transition, StateType.Crashed);
    }

    [Fact]
    public void Propose_FlowRetrySequence_MatchesRecordedTraffic()
    {
        // 13-flow-retries-and-hooks: Running -> Failed (REJECT AwaitingRetry) -> Running (WAIT 1) -> Running (ACCEPT, run_count 2).
        var run = Runs.Flow(StateType.Pending) with { EmpiricalPolicy = new FlowRunPolicy { Retries = 1, RetryDelay = 1 } };
        var running = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow()).Updated!;

        var retry = FlowRunRules.Propose(running, Make.Proposal(StateType.Failed), Contexts.Flow() with { Now = At.Now.AddSeconds(0.3) });
        var early = FlowRunRules.Propose(retry.Updated!, Make.Proposal(StateType.Running), Contexts.Flow() with { Now = At.Now.AddSeconds(0.35) });
        var again = FlowRunRules.Propose(retry.Updated!, Make.Proposal(StateType.Running), Contexts.Flow() with { Now = At.Now.AddSeconds(1.4) });

        Assert.Equal(OrchestrationStatus.Reject, retry.Result.Status);
        Assert.Equal(OrchestrationStatus.Wait, early.Result.Status);
        Assert.Equal(1, early.Result.Details.DelaySeconds);
        var final = again.Updated!;
        Assert.Equal("Running", final.StateName);
        Assert.Equal(2, final.RunCount);
        Assert.Equal(0.3, final.TotalRunTime, 6);
        Assert.Equal(At.Now, final.StartTime);
        Assert.Null(final.NextScheduledStartTime);
    }
}
