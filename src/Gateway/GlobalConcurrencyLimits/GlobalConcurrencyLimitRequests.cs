namespace OrleansFlow.Gateway.GlobalConcurrencyLimits;

/// <summary>Body of <c>POST /api/v2/concurrency_limits/</c> (Prefect's <c>ConcurrencyLimitV2Create</c>).</summary>
public sealed class GlobalConcurrencyLimitCreateRequest
{
    /// <summary>Whether the limit counts slots (default true).</summary>
    public bool? Active { get; init; }

    /// <summary>The unique name (required; none of <c>/ % &amp; &gt; &lt;</c>).</summary>
    public string? Name { get; init; }

    /// <summary>How many slots may be occupied at once (required, at least 0).</summary>
    public int? Limit { get; init; }

    /// <summary>Slots occupied from the start (default 0).</summary>
    public int? ActiveSlots { get; init; }

    /// <summary>Denied slots from the start (default 0).</summary>
    public int? DeniedSlots { get; init; }

    /// <summary>Slots freed per second, making the limit a rate limit (default 0, at least 0).</summary>
    public double? SlotDecayPerSecond { get; init; }
}

/// <summary>Body of <c>PATCH /api/v2/concurrency_limits/{id_or_name}</c>: null keeps a field.</summary>
public sealed class GlobalConcurrencyLimitUpdateRequest
{
    /// <summary>Turns the limit on or off.</summary>
    public bool? Active { get; init; }

    /// <summary>A new name.</summary>
    public string? Name { get; init; }

    /// <summary>A new number of slots (at least 0).</summary>
    public int? Limit { get; init; }

    /// <summary>Sets the occupied slots (at least 0).</summary>
    public int? ActiveSlots { get; init; }

    /// <summary>Sets the denied slots (at least 0).</summary>
    public int? DeniedSlots { get; init; }

    /// <summary>A new decay rate (at least 0).</summary>
    public double? SlotDecayPerSecond { get; init; }
}

/// <summary>Body of <c>POST /api/v2/concurrency_limits/increment</c> and <c>/decrement</c>.</summary>
public sealed class GlobalConcurrencySlotsRequest
{
    /// <summary>The limits to take slots of (required, at least one).</summary>
    public List<string>? Names { get; init; }

    /// <summary>How many slots (required, more than 0).</summary>
    public int? Slots { get; init; }

    /// <summary><c>concurrency</c> (default) or <c>rate_limit</c> (increment only: every active limit must decay).</summary>
    public string? Mode { get; init; }

    /// <summary>Decrement only: how long the slots were held, which trains the limits' average occupancy (more than 0).</summary>
    public double? OccupancySeconds { get; init; }

    /// <summary>Whether a name without a limit gets an inactive one (default true, as Prefect 2 always does); false skips it.</summary>
    public bool? CreateIfMissing { get; init; }
}

/// <summary>A global concurrency limit as the API shows it; slot counts are as of now (decayed) and whole.</summary>
/// <param name="Id">The limit's id.</param>
/// <param name="Created">When it was created.</param>
/// <param name="Updated">When it last changed.</param>
/// <param name="Active">Whether it counts slots.</param>
/// <param name="Name">The unique name.</param>
/// <param name="Limit">How many slots may be occupied at once.</param>
/// <param name="ActiveSlots">The occupied slots.</param>
/// <param name="DeniedSlots">The slots recently refused.</param>
/// <param name="SlotDecayPerSecond">Slots freed per second.</param>
/// <param name="AvgSlotOccupancySeconds">How long a slot is held on average.</param>
public sealed record GlobalConcurrencyLimitView(Guid Id, DateTimeOffset Created, DateTimeOffset Updated, bool Active, string Name, int Limit,
    int ActiveSlots, int DeniedSlots, double SlotDecayPerSecond, double AvgSlotOccupancySeconds);

/// <summary>A limit named in a slot request, as <c>/increment</c> and <c>/decrement</c> answer it.</summary>
/// <param name="Id">The limit's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Limit">Its number of slots.</param>
public sealed record MinimalConcurrencyLimitView(Guid Id, string Name, int Limit);
