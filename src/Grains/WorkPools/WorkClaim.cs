namespace OrleansFlow.Grains.WorkPools;

/// <summary>What a claim on a work pool handed out, and the pool's work generation when the claim began: a wait for work
/// after this generation returns at once if work arrived while the claim ran.</summary>
/// <param name="Runs">The runs claimed; null when the pool does not exist.</param>
/// <param name="Generation">The pool's work generation at the start of the claim.</param>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.WorkClaim")]
public sealed record WorkClaim(IReadOnlyList<ScheduledRun>? Runs, long Generation);
