using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.GlobalConcurrencyLimits;

/// <summary>Global concurrency limits (Prefect 2.12+'s <c>/v2/concurrency_limits</c>): by id and name, and the slot
/// requests of <c>concurrency()</c> and <c>rate_limit()</c>. Every slot request reads and writes its limits in one
/// write transaction (rows locked on PostgreSQL, the single writer on SQLite), so concurrent requests never take more
/// slots than a limit has.</summary>
public sealed class GlobalConcurrencyLimitCatalog(OrleansFlowSilo silo)
{
    /// <summary>Creates <paramref name="limit"/> (its id and times are set here); null when the name is taken.</summary>
    public Task<GlobalConcurrencyLimit?> CreateAsync(GlobalConcurrencyLimit limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limit);
        var now = silo.Clock.GetUtcNow();
        var created = limit with { Id = silo.NewId(), Created = now, Updated = now };
        return silo.Database.WriteAsync(async session =>
            await GlobalConcurrencyLimitStore.InsertAsync(session, created, cancellationToken).ConfigureAwait(false) ? created : null, cancellationToken);
    }

    /// <summary>The limit with <paramref name="id"/>, its slots decayed to now; null when there is none.</summary>
    public async Task<GlobalConcurrencyLimit?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        Now(await silo.Database.ReadAsync(session => GlobalConcurrencyLimitStore.GetAsync(session, id, cancellationToken), cancellationToken).ConfigureAwait(false));

    /// <summary>The limit named <paramref name="name"/>, its slots decayed to now; null when there is none.</summary>
    public async Task<GlobalConcurrencyLimit?> GetByNameAsync(string name, CancellationToken cancellationToken) =>
        Now(await silo.Database.ReadAsync(session => GlobalConcurrencyLimitStore.GetByNameAsync(session, name, cancellationToken), cancellationToken).ConfigureAwait(false));

    /// <summary>A page of the limits by name, their slots decayed to now.</summary>
    public async Task<List<GlobalConcurrencyLimit>> ListAsync(int limit, int offset, CancellationToken cancellationToken) =>
        [.. (await silo.Database.ReadAsync(session => GlobalConcurrencyLimitStore.ListAsync(session, limit, offset, cancellationToken), cancellationToken).ConfigureAwait(false))
            .Select(l => Now(l)!)];

    /// <summary>Changes the limit with <paramref name="id"/> (or, when null, named <paramref name="name"/>).</summary>
    /// <returns>Null when there is no such limit; false when the new name is taken; true when changed.</returns>
    public Task<bool?> UpdateAsync(Guid? id, string? name, GlobalConcurrencyLimitChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return silo.Database.WriteAsync<bool?>(async session =>
        {
            if (await FindAsync(session, id, name, cancellationToken).ConfigureAwait(false) is not { } current)
            {
                return null;
            }

            var decayed = GlobalConcurrencyLimitRules.Decay(current, silo.Clock.GetUtcNow());
            var changed = decayed with
            {
                Active = change.Active ?? decayed.Active,
                Name = change.Name ?? decayed.Name,
                Limit = change.Limit ?? decayed.Limit,
                ActiveSlots = change.ActiveSlots ?? decayed.ActiveSlots,
                DeniedSlots = change.DeniedSlots ?? decayed.DeniedSlots,
                SlotDecayPerSecond = change.SlotDecayPerSecond ?? decayed.SlotDecayPerSecond,
            };
            return await GlobalConcurrencyLimitStore.UpdateAsync(session, changed, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>Deletes the limit with <paramref name="id"/> (or, when null, named <paramref name="name"/>); false when
    /// there is none.</summary>
    public Task<bool> DeleteAsync(Guid? id, string? name, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(async session =>
            await FindAsync(session, id, name, cancellationToken).ConfigureAwait(false) is { } limit
            && await GlobalConcurrencyLimitStore.DeleteAsync(session, limit.Id, cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <summary>Takes <paramref name="slots"/> slots of every active limit in <paramref name="names"/>, all or none
    /// (Prefect's <c>/increment</c>). Names without a limit get an inactive one (limit 1) when
    /// <paramref name="createIfMissing"/>, and are skipped otherwise; inactive limits admit without counting. When a
    /// limit is full, nothing is taken, the request is counted as denied slots of every active limit, and the result
    /// says how long to wait.</summary>
    public Task<SlotRequestResult> IncrementAsync(IReadOnlyList<string> names, int slots, bool rateLimit, bool createIfMissing, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(async session =>
        {
            var now = silo.Clock.GetUtcNow();
            var limits = await ReadOrCreateAsync(session, names, createIfMissing, now, cancellationToken).ConfigureAwait(false);
            var active = limits.Where(l => l.Active).Select(l => GlobalConcurrencyLimitRules.Decay(l, now)).ToList();
            if (active.Any(l => l.Limit < slots))
            {
                return new SlotRequestResult(SlotRequestStatus.MoreThanLimit, limits);
            }

            var nonDecaying = active.Where(l => l.SlotDecayPerSecond <= 0).Select(l => l.Name).ToList();
            if (rateLimit && nonDecaying.Count > 0)
            {
                return new SlotRequestResult(SlotRequestStatus.NotARateLimit, limits, NonDecaying: nonDecaying);
            }

            if (active.All(l => GlobalConcurrencyLimitRules.Fits(l, slots)))
            {
                foreach (var limit in active)
                {
                    await GlobalConcurrencyLimitStore.UpdateAsync(session, limit with { ActiveSlots = limit.ActiveSlots + slots }, cancellationToken).ConfigureAwait(false);
                }

                return new SlotRequestResult(SlotRequestStatus.Done, limits);
            }

            var retryAfter = GlobalConcurrencyLimitRules.RetryAfterSeconds(active, slots);
            foreach (var limit in active)
            {
                await GlobalConcurrencyLimitStore.UpdateAsync(session, limit with { DeniedSlots = limit.DeniedSlots + slots }, cancellationToken).ConfigureAwait(false);
            }

            return new SlotRequestResult(SlotRequestStatus.Locked, limits, retryAfter);
        }, cancellationToken);

    /// <summary>Gives back <paramref name="slots"/> slots of every active limit in <paramref name="names"/> (Prefect's
    /// <c>/decrement</c>; never below 0). With <paramref name="occupancySeconds"/>, how long the slots were held updates
    /// each limit's average occupancy. Missing names are handled as by <see cref="IncrementAsync"/>.</summary>
    public Task<SlotRequestResult> DecrementAsync(IReadOnlyList<string> names, int slots, double? occupancySeconds, bool createIfMissing, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(async session =>
        {
            var now = silo.Clock.GetUtcNow();
            var limits = await ReadOrCreateAsync(session, names, createIfMissing, now, cancellationToken).ConfigureAwait(false);
            foreach (var limit in limits.Where(l => l.Active))
            {
                var released = GlobalConcurrencyLimitRules.Release(GlobalConcurrencyLimitRules.Decay(limit, now), slots, occupancySeconds);
                await GlobalConcurrencyLimitStore.UpdateAsync(session, released, cancellationToken).ConfigureAwait(false);
            }

            return new SlotRequestResult(SlotRequestStatus.Done, limits);
        }, cancellationToken);

    private async Task<List<GlobalConcurrencyLimit>> ReadOrCreateAsync(DbSession session, IReadOnlyList<string> names, bool createIfMissing, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var distinct = names.Distinct(StringComparer.Ordinal).ToList();
        var limits = await GlobalConcurrencyLimitStore.ForNamesAsync(session, distinct, cancellationToken).ConfigureAwait(false);
        var missing = distinct.Except(limits.Select(l => l.Name), StringComparer.Ordinal).ToList();
        if (!createIfMissing || missing.Count == 0)
        {
            return limits;
        }

        foreach (var name in missing)
        {
            // As Prefect: a name first seen in a slot request gets a limit that admits everything until someone turns it on.
            var limit = new GlobalConcurrencyLimit { Id = silo.NewId(), Name = name, Limit = 1, Active = false, Created = now, Updated = now };
            await GlobalConcurrencyLimitStore.InsertAsync(session, limit, cancellationToken).ConfigureAwait(false);
        }

        return await GlobalConcurrencyLimitStore.ForNamesAsync(session, distinct, cancellationToken).ConfigureAwait(false);
    }

    private static Task<GlobalConcurrencyLimit?> FindAsync(DbSession session, Guid? id, string? name, CancellationToken cancellationToken) =>
        id is { } byId
            ? GlobalConcurrencyLimitStore.GetAsync(session, byId, cancellationToken)
            : GlobalConcurrencyLimitStore.GetByNameAsync(session, name ?? throw new ArgumentNullException(nameof(name)), cancellationToken);

    private GlobalConcurrencyLimit? Now(GlobalConcurrencyLimit? limit) =>
        limit is null ? null : GlobalConcurrencyLimitRules.Decay(limit, silo.Clock.GetUtcNow()) with { Updated = limit.Updated };
}
