using OrleansFlow.Grains.Orchestration;

namespace OrleansFlow.Grains.States;

/// <summary>What the core rules decided for a proposal: the status, the reason, and the state to write
/// (the proposal itself, a replacement, or nothing).</summary>
/// <param name="Status">The decision.</param>
/// <param name="ToWrite">The state to record, or null when nothing is written.</param>
/// <param name="Details">Why.</param>
internal sealed record RuleVerdict(OrchestrationStatus Status, ProposedState? ToWrite, OrchestrationDetails Details)
{
    public static RuleVerdict Accept(ProposedState proposed) => new(OrchestrationStatus.Accept, proposed, OrchestrationDetails.Accepted);

    /// <summary>A rejection; with a null <paramref name="replacement"/> the run keeps its current state.</summary>
    public static RuleVerdict Reject(ProposedState? replacement, string reason) =>
        new(OrchestrationStatus.Reject, replacement, OrchestrationDetails.Rejected(reason));

    public static RuleVerdict Wait(int delaySeconds, string reason) =>
        new(OrchestrationStatus.Wait, null, OrchestrationDetails.Waiting(delaySeconds, reason));

    public static RuleVerdict Abort(string reason) => new(OrchestrationStatus.Abort, null, OrchestrationDetails.Aborted(reason));
}
