namespace OrleansFlow.Silo.GlobalConcurrencyLimits;

/// <summary>Prefect's slot arithmetic for global concurrency limits, pure: decay, taking slots, giving them back, and
/// the wait a refused caller is told (the <c>Retry-After</c> of a 423).</summary>
public static class GlobalConcurrencyLimitRules
{
    /// <summary>Releases update the average occupancy over the last <c>limit × 2</c> releases.</summary>
    public const int OccupancySamplesMultiplier = 2;

    /// <summary>The shortest occupancy a release counts per slot, so the average never reaches 0.</summary>
    public const double MinimumOccupancySecondsPerSlot = 0.1;

    /// <summary>The largest <c>slot_decay_per_second</c>: a billion slots a second. Beyond any real rate, and small enough
    /// that the decay over any span a date can hold (10,000 years, about 3.2e11 seconds) stays a finite number: a decay
    /// near <see cref="double.MaxValue"/> makes <c>rate × seconds</c> infinite, and a JSON number past it (<c>1e309</c>)
    /// reads as infinity, which the API can store but no longer write as JSON.</summary>
    public const double MaxSlotDecayPerSecond = 1e9;

    /// <summary>The longest <c>occupancy_seconds</c> a release may report: 10 years (3,650 days), as long as a retry
    /// delay. Kept finite for the same reason: the average occupancy is a running mean of the values reported.</summary>
    public const double MaxOccupancySeconds = 3650 * 86400;

    /// <summary>The limit as it stands at <paramref name="now"/>: active slots less what decayed since the last write
    /// (<c>slot_decay_per_second</c>), denied slots less what decayed at that rate (or, without a decay, one slot per
    /// average occupancy); neither goes below 0. <see cref="GlobalConcurrencyLimit.Updated"/> becomes <paramref name="now"/>.</summary>
    public static GlobalConcurrencyLimit Decay(GlobalConcurrencyLimit limit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(limit);
        var seconds = Math.Max(0, (now - limit.Updated).TotalSeconds);
        var deniedRate = limit.SlotDecayPerSecond > 0 ? limit.SlotDecayPerSecond : 1.0 / Math.Max(limit.AvgSlotOccupancySeconds, MinimumOccupancySecondsPerSlot);
        return limit with
        {
            ActiveSlots = Math.Max(0, limit.ActiveSlots - (limit.SlotDecayPerSecond * seconds)),
            DeniedSlots = Math.Max(0, limit.DeniedSlots - (deniedRate * seconds)),
            Updated = now,
        };
    }

    /// <summary>Whole occupied slots as the API shows them: a slot partly decayed is still occupied.</summary>
    public static int Shown(double slots) => (int)Math.Ceiling(slots - 1e-9);

    /// <summary>Whether <paramref name="slots"/> more fit in the (decayed) limit.</summary>
    public static bool Fits(GlobalConcurrencyLimit decayed, int slots)
    {
        ArgumentNullException.ThrowIfNull(decayed);
        return decayed.ActiveSlots + slots <= decayed.Limit + 1e-9;
    }

    /// <summary>The (decayed) limit after <paramref name="slots"/> are released: never below 0 slots. With
    /// <paramref name="occupancySeconds"/>, the average occupancy moves toward <c>occupancy / slots</c> (at least
    /// <see cref="MinimumOccupancySecondsPerSlot"/>) by one <c>limit × 2</c>-th.</summary>
    public static GlobalConcurrencyLimit Release(GlobalConcurrencyLimit decayed, int slots, double? occupancySeconds)
    {
        ArgumentNullException.ThrowIfNull(decayed);
        var released = decayed with { ActiveSlots = Math.Max(0, decayed.ActiveSlots - slots) };
        if (occupancySeconds is not > 0 || decayed.Limit <= 0)
        {
            return released;
        }

        var perSlot = Math.Max(occupancySeconds.Value / slots, MinimumOccupancySecondsPerSlot);
        var samples = (double)decayed.Limit * OccupancySamplesMultiplier;
        return released with { AvgSlotOccupancySeconds = decayed.AvgSlotOccupancySeconds + (perSlot / samples) - (decayed.AvgSlotOccupancySeconds / samples) };
    }

    /// <summary>The longest wait a refused caller is told: a day. A tiny decay rate (1e-300 slots a second) would otherwise
    /// make the estimate astronomically long, which a client cannot sleep (Python's <c>time.sleep</c> overflows); asking
    /// again after a day is harmless.</summary>
    public const double MaxRetryAfterSeconds = 86_400;

    /// <summary>How many seconds a caller refused <paramref name="slots"/> by the (decayed, before counting the refusal)
    /// <paramref name="limits"/> should wait before asking again, as Prefect estimates it: the most blocking limit's
    /// waiting slots (its denied slots plus these; per slot of the limit when it does not decay) times the time a slot
    /// takes to free (1 / decay, or the average occupancy), and at most <see cref="MaxRetryAfterSeconds"/>.</summary>
    public static double RetryAfterSeconds(IReadOnlyList<GlobalConcurrencyLimit> limits, int slots)
    {
        ArgumentNullException.ThrowIfNull(limits);
        double Blocking(GlobalConcurrencyLimit l) => l.SlotDecayPerSecond > 0
            ? slots + l.DeniedSlots
            : (slots + l.DeniedSlots) / Math.Max(l.Limit, 1);

        var blocking = limits.MaxBy(Blocking) ?? throw new ArgumentException("No limit refused the slots.", nameof(limits));
        var perSlot = blocking.SlotDecayPerSecond > 0 ? 1.0 / blocking.SlotDecayPerSecond : blocking.AvgSlotOccupancySeconds;
        return Math.Min(perSlot * Blocking(blocking), MaxRetryAfterSeconds);
    }
}
