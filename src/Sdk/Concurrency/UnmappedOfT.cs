namespace OrleansFlow;

/// <summary>An argument of <c>Flows.Map</c> passed whole to every call instead of being iterated (Prefect's
/// <c>unmapped</c>).</summary>
/// <param name="Value">The value every call gets.</param>
public readonly record struct Unmapped<T>(T Value);
