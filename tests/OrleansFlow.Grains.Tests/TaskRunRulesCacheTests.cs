using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Grains.Tests;

public sealed class TaskRunRulesCacheTests
{
    private const string Key = "98b1afd0f36c65be76bd93a09be659ac";

    private static readonly State CachedCompleted = Make.State(
        StateType.Completed,
        details: new StateDetails
        {
            FlowRunId = Guid.NewGuid(),
            TaskRunId = Guid.NewGuid(),
            CacheKey = Key,
            CacheExpiration = At.Now.AddHours(1),
            UntrackableResult = true,
        },
        data: Make.PersistedResult);

    private static readonly ProposedState RunningWithKey = Make.Proposal(StateType.Running, details: new StateDetails { CacheKey = Key, RefreshCache = false });

    [Fact]
    public void Propose_RunningWithCachedKey_WritesCachedCopy()
    {
        // 03-task-caching: REJECT with a COMPLETED "Cached" state (HTTP 201), the cached data and details, this run's ids.
        var run = Runs.Task(StateType.Pending) with { Tags = ["db"] };

        var result = TaskRunRules.Propose(run, RunningWithKey, Contexts.Task(cached: CachedCompleted));

        var written = Expect.Written(result.Transition, OrchestrationStatus.Reject, StateType.Completed, "Cached");
        Assert.Equal("Retrieved state from cache", result.Transition.Result.Details.Reason);
        Assert.Equal("reference", written.Data!.Value.GetProperty("type").GetString());
        Assert.Equal(Key, written.StateDetails.CacheKey);
        Assert.Equal(CachedCompleted.StateDetails.CacheExpiration, written.StateDetails.CacheExpiration);
        Assert.True(written.StateDetails.UntrackableResult);
        Assert.Equal(Runs.FlowRunId, written.StateDetails.FlowRunId);
        Assert.Equal(Runs.TaskRunId, written.StateDetails.TaskRunId);
        var updated = result.Transition.Updated!;
        Assert.Equal(0, updated.RunCount);
        Assert.Null(updated.StartTime);
        Assert.Null(updated.EndTime);
        Assert.Empty(result.AcquireSlots);
        Assert.True(result.ReleaseSlots);
        Assert.Null(result.CacheInsert);
    }

    [Fact]
    public void Propose_RunningWithRefreshCache_RunsAgain()
    {
        var proposal = RunningWithKey with { StateDetails = RunningWithKey.StateDetails with { RefreshCache = true } };

        var result = TaskRunRules.Propose(Runs.Task(StateType.Pending), proposal, Contexts.Task(cached: CachedCompleted));

        Expect.Accepted(result.Transition, StateType.Running);
    }

    [Fact]
    public void Propose_RunningWithoutCacheHit_Accepts()
    {
        var result = TaskRunRules.Propose(Runs.Task(StateType.Pending), RunningWithKey, Contexts.Task());

        Expect.Accepted(result.Transition, StateType.Running);
    }

    [Fact]
    public void Propose_RunningWithExpiredCacheHit_Accepts()
    {
        var expired = CachedCompleted with { StateDetails = CachedCompleted.StateDetails with { CacheExpiration = At.Now } };

        var result = TaskRunRules.Propose(Runs.Task(StateType.Pending), RunningWithKey, Contexts.Task(cached: expired));

        Expect.Accepted(result.Transition, StateType.Running);
    }

    [Fact]
    public void Propose_RunningWithoutCacheKey_IgnoresCachedState()
    {
        var result = TaskRunRules.Propose(Runs.Task(StateType.Pending), Make.Proposal(StateType.Running), Contexts.Task(cached: CachedCompleted));

        Expect.Accepted(result.Transition, StateType.Running);
    }

    [Fact]
    public void Propose_RunningWithCacheHitWhileFlowCancelling_StillReturnsCached()
    {
        var result = TaskRunRules.Propose(Runs.Task(StateType.Pending), RunningWithKey, Contexts.Task(flowRun: Runs.Flow(StateType.Cancelling), cached: CachedCompleted));

        Expect.Written(result.Transition, OrchestrationStatus.Reject, StateType.Completed, "Cached");
    }

    [Fact]
    public void Propose_CompletedWithCacheKey_InsertsWrittenStateInCache()
    {
        var completed = Make.Proposal(StateType.Completed, details: new StateDetails { CacheKey = Key, CacheExpiration = At.Now.AddHours(1) }, data: Make.PersistedResult);

        var result = TaskRunRules.Propose(Runs.Task(StateType.Running), completed, Contexts.Task());

        var written = Expect.Accepted(result.Transition, StateType.Completed);
        Assert.Same(written, result.CacheInsert);
    }

    [Fact]
    public void Propose_CompletedWithoutCacheKey_InsertsNothing()
    {
        var result = TaskRunRules.Propose(Runs.Task(StateType.Running), Make.Proposal(StateType.Completed), Contexts.Task());

        Expect.Accepted(result.Transition, StateType.Completed);
        Assert.Null(result.CacheInsert);
    }

    [Fact]
    public void Propose_ForcedCompletedWithCacheKey_InsertsNothing()
    {
        var completed = Make.Proposal(StateType.Completed, details: new StateDetails { CacheKey = Key });

        var result = TaskRunRules.Propose(Runs.Task(StateType.Running), completed, Contexts.Task(force: true));

        Expect.Accepted(result.Transition, StateType.Completed);
        Assert.Null(result.CacheInsert);
    }
}
