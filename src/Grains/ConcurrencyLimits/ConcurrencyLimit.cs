namespace OrleansFlow.Grains.ConcurrencyLimits;

/// <summary>A tag concurrency limit (Prefect's v1 limits): at most <see cref="Limit"/> task runs
/// carrying <see cref="Tag"/> may be RUNNING at once.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.ConcurrencyLimit")]
public sealed record ConcurrencyLimit
{
    /// <summary>The limit's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When the limit was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When the limit was last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The tag the limit applies to (unique).</summary>
    public required string Tag { get; init; }

    /// <summary>How many runs may hold a slot at once; 0 blocks every run (and aborts it, to avoid a deadlock).</summary>
    public required int Limit { get; init; }

    /// <summary>The ids of the task runs that hold a slot.</summary>
    public IReadOnlyList<Guid> ActiveSlots { get; init; } = [];
}
