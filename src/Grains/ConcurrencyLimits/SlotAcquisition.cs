namespace OrleansFlow.Grains.ConcurrencyLimits;

/// <summary>A limit grain's answer to a task run asking for a slot.</summary>
/// <param name="Limit">The limit as decided on (the run is in its active slots when <paramref name="Acquired"/>); null
/// when the tag has no limit.</param>
/// <param name="Acquired">True when the run holds a slot now.</param>
/// <param name="WasHeld">True when the run held the slot before it asked (so it must not give it back on a refusal
/// elsewhere).</param>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.SlotAcquisition")]
public sealed record SlotAcquisition(ConcurrencyLimit? Limit, bool Acquired, bool WasHeld);
