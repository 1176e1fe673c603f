namespace OrleansFlow.Grains.ConcurrencyLimits;

/// <summary>How a tag limit's slots are taken, renewed, reclaimed and given back, as pure functions of the limit its
/// grain holds: the grain asks, writes what these answer (conditional on the version) and keeps it.</summary>
public static class ConcurrencySlotRules
{
    /// <summary>Decides a slot for <paramref name="taskRunId"/>: the holders in <paramref name="stale"/> whose lease has
    /// still ended lose their slot (they were found not RUNNING), those in <paramref name="alive"/> get a new lease (they
    /// were found RUNNING), then the run holds a slot if it held one or one is free. A limit of 0 grants nothing.</summary>
    /// <returns>The limit afterwards (null when nothing changes), whether the run holds a slot, whether it held one before.</returns>
    public static (LeasedConcurrencyLimit? Changed, bool Acquired, bool WasHeld) Acquire(LeasedConcurrencyLimit current, Guid taskRunId,
        DateTimeOffset now, TimeSpan lease, IReadOnlySet<Guid> stale, IReadOnlySet<Guid> alive)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(stale);
        ArgumentNullException.ThrowIfNull(alive);

        var expired = current.ExpiredHolders(now).ToHashSet();
        var slots = current.Limit.ActiveSlots.Distinct().Where(holder => holder == taskRunId || !(stale.Contains(holder) && expired.Contains(holder))).ToList();
        var leases = current.Leases.Where(l => slots.Contains(l.Key)).ToDictionary();
        var changed = slots.Count != current.Limit.ActiveSlots.Count;
        foreach (var holder in slots.Where(h => alive.Contains(h) && expired.Contains(h)))
        {
            leases[holder] = now + lease;
            changed = true;
        }

        var wasHeld = slots.Contains(taskRunId);
        var acquired = current.Limit.Limit > 0 && (wasHeld || slots.Count < current.Limit.Limit);
        if (acquired)
        {
            if (!wasHeld)
            {
                slots.Add(taskRunId);
            }

            leases[taskRunId] = now + lease;
            changed = true;
        }

        return (changed ? With(current, slots, leases, now) : null, acquired, wasHeld);
    }

    /// <summary>Gives back the slots of <paramref name="taskRunIds"/>; null when none of them holds one.</summary>
    public static LeasedConcurrencyLimit? Release(LeasedConcurrencyLimit current, IReadOnlyCollection<Guid> taskRunIds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(taskRunIds);
        if (!current.Limit.ActiveSlots.Any(taskRunIds.Contains))
        {
            return null;
        }

        var slots = current.Limit.ActiveSlots.Where(holder => !taskRunIds.Contains(holder)).ToList();
        return With(current, slots, current.Leases.Where(l => !taskRunIds.Contains(l.Key)).ToDictionary(), now);
    }

    /// <summary>Replaces the holders with <paramref name="slots"/>, each under a lease from <paramref name="now"/>.</summary>
    public static LeasedConcurrencyLimit Reset(LeasedConcurrencyLimit current, IReadOnlyList<Guid> slots, DateTimeOffset now, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(slots);
        var holders = slots.Distinct().ToList();
        return With(current, holders, holders.ToDictionary(h => h, _ => now + lease), now);
    }

    private static LeasedConcurrencyLimit With(LeasedConcurrencyLimit current, List<Guid> slots, Dictionary<Guid, DateTimeOffset> leases, DateTimeOffset now) =>
        current with { Limit = current.Limit with { ActiveSlots = slots, Updated = now }, Leases = leases };
}
