namespace OrleansFlow.Client;

/// <summary>The answer of <c>set_state</c> (Prefect's <c>OrchestrationResult</c>).</summary>
/// <param name="State">The run's state now (the proposed one on ACCEPT, the replacement on REJECT).</param>
/// <param name="Status">What the server did with the proposal.</param>
/// <param name="Details">Why.</param>
public sealed record OrchestrationResult(State? State, OrchestrationStatus Status, OrchestrationDetails Details);
