namespace OrleansFlow.Grains.Orchestration;

/// <summary>The answer of a grain to a proposed state.</summary>
/// <param name="Result">The orchestration result for the client.</param>
/// <param name="Written">True when a state was recorded (HTTP 201), false when not (HTTP 200).</param>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.SetStateResult")]
public sealed record SetStateResult(OrchestrationResult Result, bool Written);
