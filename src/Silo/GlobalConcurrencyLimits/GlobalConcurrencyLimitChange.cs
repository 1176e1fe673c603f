namespace OrleansFlow.Silo.GlobalConcurrencyLimits;

/// <summary>The fields of a global concurrency limit to change (Prefect's <c>ConcurrencyLimitV2Update</c>); null keeps a field.</summary>
public sealed record GlobalConcurrencyLimitChange
{
    /// <summary>Turns the limit on or off.</summary>
    public bool? Active { get; init; }

    /// <summary>A new name.</summary>
    public string? Name { get; init; }

    /// <summary>A new number of slots.</summary>
    public int? Limit { get; init; }

    /// <summary>Sets the occupied slots.</summary>
    public int? ActiveSlots { get; init; }

    /// <summary>Sets the denied slots.</summary>
    public int? DeniedSlots { get; init; }

    /// <summary>A new decay rate.</summary>
    public double? SlotDecayPerSecond { get; init; }
}
