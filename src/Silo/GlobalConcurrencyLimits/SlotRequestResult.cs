namespace OrleansFlow.Silo.GlobalConcurrencyLimits;

/// <summary>How a request to take or release slots of global concurrency limits turned out.</summary>
public enum SlotRequestStatus
{
    /// <summary>The slots were taken (or released) on every active limit named.</summary>
    Done,

    /// <summary>An active limit has not enough free slots; nothing was taken (Prefect's 423).</summary>
    Locked,

    /// <summary>An active limit has fewer slots in all than were asked for (Prefect's 422).</summary>
    MoreThanLimit,

    /// <summary>A rate limit was asked of an active limit without a slot decay (Prefect's 422).</summary>
    NotARateLimit,
}

/// <summary>The outcome of <see cref="GlobalConcurrencyLimitCatalog.IncrementAsync"/> or
/// <see cref="GlobalConcurrencyLimitCatalog.DecrementAsync"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Limits">The limits named (those created inactive included), as they were read.</param>
/// <param name="RetryAfterSeconds">For <see cref="SlotRequestStatus.Locked"/>: how long the caller should wait.</param>
/// <param name="NonDecaying">For <see cref="SlotRequestStatus.NotARateLimit"/>: the names of the limits without decay.</param>
public sealed record SlotRequestResult(
    SlotRequestStatus Status,
    IReadOnlyList<GlobalConcurrencyLimit> Limits,
    double RetryAfterSeconds = 0,
    IReadOnlyList<string>? NonDecaying = null);
