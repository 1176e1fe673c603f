using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Grains.Tests;

/// <summary>Prefect 2.15+'s <c>PreventDuplicateTransitions</c>: a request sent again with the transition id of the state it
/// wrote is answered with that state and applied once; OrleansFlow applies it to task runs and forced proposals too.</summary>
public sealed class DuplicateTransitionTests
{
    private static readonly Guid First = Guid.Parse("6f0c9d1e-52a4-4a55-9a43-3d8f8ae2b001");
    private static readonly Guid Second = Guid.Parse("6f0c9d1e-52a4-4a55-9a43-3d8f8ae2b002");

    [Fact]
    public void Propose_CompletedAgainWithTheTransitionIdOfTheCurrentState_RejectsKeepingIt()
    {
        // COMPLETED (unpersisted result) → COMPLETED is allowed by the terminal rules: only the id tells a retry apart.
        var run = Runs.Flow(StateType.Completed, details: new StateDetails { TransitionId = First }, data: Make.UnpersistedResult);

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Completed, details: new StateDetails { TransitionId = First }), Contexts.Flow());

        Expect.NotWritten(transition, OrchestrationStatus.Reject, "This run has already made this state transition.", run.State);
    }

    [Fact]
    public void Propose_CompletedAgainWithANewTransitionId_IsDecidedByTheRules()
    {
        var run = Runs.Flow(StateType.Completed, details: new StateDetails { TransitionId = First }, data: Make.UnpersistedResult);

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Completed, details: new StateDetails { TransitionId = Second }), Contexts.Flow());

        var written = Expect.Accepted(transition, StateType.Completed);
        Assert.Equal(Second, written.StateDetails.TransitionId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Propose_WithoutTransitionIds_IsNeverADuplicate(bool force)
    {
        var run = Runs.Flow(StateType.Running);

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Flow(force));

        Assert.Null(Expect.Accepted(transition, StateType.Running).StateDetails.TransitionId);
    }

    [Fact]
    public void Propose_ForcedDuplicate_IsAlsoRejected()
    {
        var run = Runs.Flow(StateType.Running, details: new StateDetails { TransitionId = First });

        var transition = FlowRunRules.Propose(run, Make.Proposal(StateType.Running, details: new StateDetails { TransitionId = First }), Contexts.Flow(force: true));

        Expect.NotWritten(transition, OrchestrationStatus.Reject, "This run has already made this state transition.", run.State);
    }

    [Fact]
    public void Propose_FailedWithRetriesLeft_TheReplacementCarriesTheTransitionId_SoTheRetryOfTheFailureIsNotAppliedAgain()
    {
        var run = Runs.RunningFlow() with { EmpiricalPolicy = new FlowRunPolicy { Retries = 2 } };
        var failed = Make.Proposal(StateType.Failed, details: new StateDetails { TransitionId = First });

        var first = FlowRunRules.Propose(run, failed, Contexts.Flow());
        var awaiting = Expect.Written(first, OrchestrationStatus.Reject, StateType.Scheduled, "AwaitingRetry");
        Assert.Equal(First, awaiting.StateDetails.TransitionId);

        var again = FlowRunRules.Propose(first.Updated!, failed, Contexts.Flow());

        Expect.NotWritten(again, OrchestrationStatus.Reject, "This run has already made this state transition.", first.Updated!.State);
    }

    [Fact]
    public void ProposeTaskRun_RunningAgainWithTheTransitionIdOfTheCurrentState_RejectsKeepingIt()
    {
        var run = Runs.Task(StateType.Running, details: new StateDetails { TransitionId = First });

        var transition = TaskRunRules.Propose(run, Make.Proposal(StateType.Running, details: new StateDetails { TransitionId = First }), Contexts.Task()).Transition;

        Expect.NotWritten(transition, OrchestrationStatus.Reject, "This run has already made this state transition.", run.State);
    }

    [Fact]
    public void ProposeTaskRun_CacheHit_TheCachedStateCarriesTheNewTransitionId()
    {
        var cached = Make.State(StateType.Completed, details: new StateDetails { CacheKey = "k", TransitionId = First }, data: Make.PersistedResult);
        var run = Runs.Task(StateType.Pending);

        var transition = TaskRunRules.Propose(
            run, Make.Proposal(StateType.Running, details: new StateDetails { CacheKey = "k", TransitionId = Second }), Contexts.Task(cached: cached)).Transition;

        var written = Expect.Written(transition, OrchestrationStatus.Reject, StateType.Completed, "Cached");
        Assert.Equal(Second, written.StateDetails.TransitionId);
    }
}
