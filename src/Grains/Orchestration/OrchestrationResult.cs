using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.Orchestration;

/// <summary>The answer to a proposed state (Prefect's <c>OrchestrationResult</c>).</summary>
/// <param name="State">The run's state after the decision: the accepted state, the state a rejection put the run in,
/// or the unchanged current state (null for an abort).</param>
/// <param name="Status">The decision.</param>
/// <param name="Details">Why.</param>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.OrchestrationResult")]
public sealed record OrchestrationResult(State? State, OrchestrationStatus Status, OrchestrationDetails Details);
