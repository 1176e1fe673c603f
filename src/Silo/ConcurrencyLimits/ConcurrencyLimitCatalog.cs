using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.ConcurrencyLimits;

/// <summary>Tag concurrency limits: created, read, reset and deleted here; their slots are taken and given back by
/// task-run transitions in the same transaction as the transition.</summary>
public sealed class ConcurrencyLimitCatalog(OrleansFlowSilo silo)
{
    /// <summary>Creates the tag's limit or changes it (keeping the slots held).</summary>
    public Task<ConcurrencyLimit> UpsertAsync(string tag, int limit, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(session => ConcurrencyLimitStore.UpsertAsync(session, silo.NewId(), tag, limit, silo.Clock.GetUtcNow(), cancellationToken), cancellationToken);

    /// <summary>The limit with <paramref name="id"/>, or null.</summary>
    public Task<ConcurrencyLimit?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => ConcurrencyLimitStore.GetAsync(session, id, cancellationToken), cancellationToken);

    /// <summary>The limit of <paramref name="tag"/>, or null.</summary>
    public Task<ConcurrencyLimit?> GetByTagAsync(string tag, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => ConcurrencyLimitStore.GetByTagAsync(session, tag, cancellationToken), cancellationToken);

    /// <summary>A page of limits ordered by tag.</summary>
    public Task<List<ConcurrencyLimit>> ListAsync(int limit, int offset, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => ConcurrencyLimitStore.ListAsync(session, limit, offset, cancellationToken), cancellationToken);

    /// <summary>Replaces the runs holding the tag's slots (Prefect's reset; none when <paramref name="slots"/> is empty).</summary>
    /// <returns>False when the tag has no limit.</returns>
    public Task<bool> ResetAsync(string tag, IReadOnlyList<Guid> slots, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(async session =>
        {
            if (await ConcurrencyLimitStore.GetByTagAsync(session, tag, cancellationToken).ConfigureAwait(false) is not { } limit)
            {
                return false;
            }

            await ConcurrencyLimitStore.SetSlotsAsync(session, limit with { ActiveSlots = slots }, silo.Clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Deletes the limit with <paramref name="id"/>; false when there is none.</summary>
    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(session => ConcurrencyLimitStore.DeleteAsync(session, id, cancellationToken), cancellationToken);

    /// <summary>Deletes the limit of <paramref name="tag"/>; false when there is none.</summary>
    public Task<bool> DeleteByTagAsync(string tag, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(session => ConcurrencyLimitStore.DeleteByTagAsync(session, tag, cancellationToken), cancellationToken);
}
