using OrleansFlow.Grains.Hosting;

namespace OrleansFlow.Grains.ConcurrencyLimits;

/// <summary>What <see cref="ConcurrencyLimitGrain"/> reads and writes, inside the transactions of
/// <see cref="IGrainDatabase"/>: a tag's limit row with its slots' leases. Implemented by the silo over its database.</summary>
public interface IConcurrencyLimitStore
{
    /// <summary>The limits of those of <paramref name="tags"/> that have one.</summary>
    Task<List<ConcurrencyLimit>> ForTagsAsync(IGrainTransaction transaction, IReadOnlyList<string> tags, CancellationToken cancellationToken);

    /// <summary>The limit of <paramref name="tag"/> with its leases and row version; null when the tag has none.</summary>
    Task<LeasedConcurrencyLimit?> GetLeasedAsync(IGrainTransaction transaction, string tag, CancellationToken cancellationToken);

    /// <summary>Inserts a new limit; false when its tag has one already.</summary>
    Task<bool> InsertAsync(IGrainTransaction transaction, ConcurrencyLimit limit, CancellationToken cancellationToken);

    /// <summary>Writes the limit and its leases if its row is still at <paramref name="version"/>.</summary>
    Task<bool> UpdateAsync(IGrainTransaction transaction, LeasedConcurrencyLimit changed, long version, CancellationToken cancellationToken);

    /// <summary>Deletes limit <paramref name="id"/> if its row is still at <paramref name="version"/>.</summary>
    Task<bool> DeleteAsync(IGrainTransaction transaction, Guid id, long version, CancellationToken cancellationToken);
}
