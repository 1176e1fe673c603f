using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Grains.Tests;

public sealed class TaskRunRulesConcurrencyTests
{
    private static readonly TaskRun PendingWithTags = Runs.Task(StateType.Pending) with { Tags = ["harness-db", "other"] };

    [Fact]
    public void Propose_RunningWithZeroLimit_Aborts()
    {
        var result = TaskRunRules.Propose(PendingWithTags, Make.Proposal(StateType.Running), Contexts.Task(limits: [Contexts.Limit("harness-db", 0)]));

        Expect.NotWritten(result.Transition, OrchestrationStatus.Abort, "The concurrency limit on tag \"harness-db\" is 0 and will deadlock if the task tries to run again.", PendingWithTags.State);
        Assert.Empty(result.AcquireSlots);
    }

    [Fact]
    public void Propose_RunningWithFullLimit_WaitsThirtySeconds()
    {
        // 06-tag-concurrency-limit: WAIT 30 s with the tag in the reason (HTTP 200, state stays PENDING).
        var limit = Contexts.Limit("harness-db", 2, Guid.NewGuid(), Guid.NewGuid());

        var result = TaskRunRules.Propose(PendingWithTags, Make.Proposal(StateType.Running), Contexts.Task(limits: [limit]));

        Expect.NotWritten(result.Transition, OrchestrationStatus.Wait, "Concurrency limit for the harness-db tag has been reached", PendingWithTags.State);
        Assert.Equal(30, result.Transition.Result.Details.DelaySeconds);
        Assert.Empty(result.AcquireSlots);
        Assert.False(result.ReleaseSlots);
    }

    [Fact]
    public void Propose_RunningWithFullLimit_WaitsConfiguredSeconds()
    {
        var limit = Contexts.Limit("harness-db", 1, Guid.NewGuid());

        var result = TaskRunRules.Propose(PendingWithTags, Make.Proposal(StateType.Running), Contexts.Task(limits: [limit]) with { TagConcurrencySlotWaitSeconds = 5 });

        Assert.Equal(OrchestrationStatus.Wait, result.Transition.Result.Status);
        Assert.Equal(5, result.Transition.Result.Details.DelaySeconds);
    }

    [Fact]
    public void Propose_RunningWithFreeSlots_AcceptsAndAcquiresEveryLimitedTag()
    {
        var limits = new[] { Contexts.Limit("other", 5), Contexts.Limit("harness-db", 2, Guid.NewGuid()) };

        var result = TaskRunRules.Propose(PendingWithTags, Make.Proposal(StateType.Running), Contexts.Task(limits: limits));

        Expect.Accepted(result.Transition, StateType.Running);
        Assert.Equal(["harness-db", "other"], result.AcquireSlots);
        Assert.False(result.ReleaseSlots);
    }

    [Fact]
    public void Propose_RunningAlreadyHoldingSlot_DoesNotCountItself()
    {
        var limit = Contexts.Limit("harness-db", 1, Runs.TaskRunId);

        var result = TaskRunRules.Propose(PendingWithTags, Make.Proposal(StateType.Running), Contexts.Task(limits: [limit]));

        Expect.Accepted(result.Transition, StateType.Running);
        Assert.Equal(["harness-db"], result.AcquireSlots);
    }

    [Fact]
    public void Propose_RunningWithLimitOnUnrelatedTag_IgnoresIt()
    {
        var result = TaskRunRules.Propose(PendingWithTags, Make.Proposal(StateType.Running), Contexts.Task(limits: [Contexts.Limit("unrelated", 0)]));

        Expect.Accepted(result.Transition, StateType.Running);
        Assert.Empty(result.AcquireSlots);
    }

    [Fact]
    public void Propose_RunningWithTwoFullLimits_NamesFirstTagInOrder()
    {
        var limits = new[] { Contexts.Limit("other", 1, Guid.NewGuid()), Contexts.Limit("harness-db", 1, Guid.NewGuid()) };

        var result = TaskRunRules.Propose(PendingWithTags, Make.Proposal(StateType.Running), Contexts.Task(limits: limits));

        Assert.Equal("Concurrency limit for the harness-db tag has been reached", result.Transition.Result.Details.Reason);
    }

    [Fact]
    public void Propose_RunningBeforeScheduledTimeWithFreeSlots_WaitsWithoutAcquiring()
    {
        var run = Runs.Task(StateType.Scheduled, "AwaitingRetry", Make.ScheduledAt(At.Now.AddSeconds(5))) with { Tags = ["harness-db"] };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Task(limits: [Contexts.Limit("harness-db", 1)]));

        Assert.Equal(OrchestrationStatus.Wait, result.Transition.Result.Status);
        Assert.Empty(result.AcquireSlots);
    }

    [Fact]
    public void Propose_RunningWhileFlowCancellingWithFreeSlots_AbortsWithoutAcquiring()
    {
        var result = TaskRunRules.Propose(PendingWithTags, Make.Proposal(StateType.Running), Contexts.Task(flowRun: Runs.Flow(StateType.Cancelling), limits: [Contexts.Limit("harness-db", 1)]));

        Assert.Equal(OrchestrationStatus.Abort, result.Transition.Result.Status);
        Assert.Empty(result.AcquireSlots);
    }

    [Theory]
    [InlineData(StateType.Completed)]
    [InlineData(StateType.Failed)]
    [InlineData(StateType.Crashed)]
    public void Propose_LeavingRunningWithTags_ReleasesSlots(StateType to)
    {
        var run = Runs.Task(StateType.Running) with { Tags = ["harness-db"] };

        var result = TaskRunRules.Propose(run, Make.Proposal(to), Contexts.Task());

        Assert.True(result.Transition.Changed);
        Assert.True(result.ReleaseSlots);
        Assert.Empty(result.AcquireSlots);
    }

    [Fact]
    public void Propose_RetryWithTags_ReleasesSlots()
    {
        var run = Runs.Task(StateType.Running) with { Tags = ["harness-db"], RunCount = 1, EmpiricalPolicy = new TaskRunPolicy { Retries = 1 } };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Failed), Contexts.Task());

        Assert.Equal(StateType.Scheduled, result.Transition.Written!.Type);
        Assert.True(result.ReleaseSlots);
    }

    [Fact]
    public void Propose_ForcedCompletedWithTags_ReleasesSlots()
    {
        var run = Runs.Task(StateType.Running) with { Tags = ["harness-db"] };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Completed), Contexts.Task(force: true));

        Assert.True(result.ReleaseSlots);
    }

    [Fact]
    public void Propose_ForcedRunningWithFullLimit_AcceptsWithoutAcquiring()
    {
        var result = TaskRunRules.Propose(PendingWithTags, Make.Proposal(StateType.Running), Contexts.Task(force: true, limits: [Contexts.Limit("harness-db", 0)]));

        Expect.Accepted(result.Transition, StateType.Running);
        Assert.Empty(result.AcquireSlots);
    }

    [Fact]
    public void Propose_LeavingRunningWithoutTags_ReleasesNothing()
    {
        var result = TaskRunRules.Propose(Runs.Task(StateType.Running), Make.Proposal(StateType.Completed), Contexts.Task());

        Assert.False(result.ReleaseSlots);
    }
}
