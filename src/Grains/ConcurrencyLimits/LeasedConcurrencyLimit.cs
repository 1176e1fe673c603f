namespace OrleansFlow.Grains.ConcurrencyLimits;

/// <summary>A tag concurrency limit as its grain holds it: the limit, the lease of each slot (when the slot's holder must
/// be found still RUNNING, or lose the slot) and the row version every write is conditional on.</summary>
/// <param name="Limit">The limit and the task runs holding its slots.</param>
/// <param name="Leases">When each holder's lease ends; a holder missing here holds an already expired lease.</param>
/// <param name="Version">The stored row's version.</param>
public sealed record LeasedConcurrencyLimit(ConcurrencyLimit Limit, IReadOnlyDictionary<Guid, DateTimeOffset> Leases, long Version)
{
    /// <summary>The holders whose lease ended at or before <paramref name="now"/>, in slot order.</summary>
    public IReadOnlyList<Guid> ExpiredHolders(DateTimeOffset now) =>
        [.. Limit.ActiveSlots.Distinct().Where(holder => !Leases.TryGetValue(holder, out var until) || until <= now)];
}
