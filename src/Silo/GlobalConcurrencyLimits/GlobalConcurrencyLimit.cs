namespace OrleansFlow.Silo.GlobalConcurrencyLimits;

/// <summary>A global concurrency limit (Prefect 2.12+'s <c>ConcurrencyLimitV2</c>): a named number of slots that
/// <c>concurrency()</c> occupies while a block of code runs, or that <c>rate_limit()</c> takes and lets decay.</summary>
public sealed record GlobalConcurrencyLimit
{
    /// <summary>The limit's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it last changed; the slot counts decay from this time.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>False makes the limit admit everything (and count nothing); default true.</summary>
    public bool Active { get; init; } = true;

    /// <summary>The unique name.</summary>
    public required string Name { get; init; }

    /// <summary>How many slots may be occupied at once.</summary>
    public int Limit { get; init; }

    /// <summary>The occupied slots as of <see cref="Updated"/> (a real number: a rate limit's slots decay continuously).</summary>
    public double ActiveSlots { get; init; }

    /// <summary>The slots recently asked for and refused, as of <see cref="Updated"/>; they decay like the active ones and
    /// only serve to estimate how long a refused caller should wait.</summary>
    public double DeniedSlots { get; init; }

    /// <summary>How many slots free themselves each second (0: slots are held until released); a limit with a decay
    /// is a rate limit.</summary>
    public double SlotDecayPerSecond { get; init; }

    /// <summary>A moving average of how long a slot is held, learned from releases; default 2 seconds.</summary>
    public double AvgSlotOccupancySeconds { get; init; } = 2.0;
}
