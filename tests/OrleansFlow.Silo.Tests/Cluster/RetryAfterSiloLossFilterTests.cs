using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.Tests.Cluster;

/// <summary>What the gateway answers when a state it sent again after a silo died had been applied by the first copy.</summary>
public sealed class RetryAfterSiloLossFilterTests
{
    private static readonly Guid Transition = Guid.NewGuid();

    private static ProposedState Proposal(Guid? transitionId) =>
        new() { Type = StateType.Running, StateDetails = new StateDetails { TransitionId = transitionId } };

    private static SetStateResult Answer(OrchestrationStatus status, Guid? currentTransition) => new(new OrchestrationResult(
        new State { Type = StateType.Running, Name = "Running", StateDetails = new StateDetails { TransitionId = currentTransition } },
        status, status == OrchestrationStatus.Reject ? OrchestrationDetails.Rejected("This run has already made this state transition.") : OrchestrationDetails.Accepted), false);

    [Fact]
    public void ARejectedCopy_WhoseRunCarriesItsTransitionId_WasAppliedByTheFirstCopy() =>
        Assert.True(RetryAfterSiloLossFilter.AppliedByAnEarlierCopy([Proposal(Transition), false], Answer(OrchestrationStatus.Reject, Transition)));

    [Theory]
    [InlineData(OrchestrationStatus.Reject, false)] // rejected for another reason: the run's state is another transition's
    [InlineData(OrchestrationStatus.Accept, true)] // accepted: nothing to change
    [InlineData(OrchestrationStatus.Wait, true)]
    public void OtherAnswers_AreLeftAsTheyAre(OrchestrationStatus status, bool sameTransition) =>
        Assert.False(RetryAfterSiloLossFilter.AppliedByAnEarlierCopy([Proposal(Transition)], Answer(status, sameTransition ? Transition : Guid.NewGuid())));

    [Fact]
    public void AProposalWithoutTransitionId_IsNeverTakenForACopy() =>
        Assert.False(RetryAfterSiloLossFilter.AppliedByAnEarlierCopy([Proposal(null)], Answer(OrchestrationStatus.Reject, null)));
}
