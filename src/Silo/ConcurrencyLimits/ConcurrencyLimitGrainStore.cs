using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Grains.Hosting;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.ConcurrencyLimits;

/// <summary>The concurrency-limit grain's store over this silo's database: <see cref="ConcurrencyLimitStore"/>'s rows.</summary>
internal sealed class ConcurrencyLimitGrainStore : IConcurrencyLimitStore
{
    public Task<List<ConcurrencyLimit>> ForTagsAsync(IGrainTransaction transaction, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        ConcurrencyLimitStore.ForTagsAsync(DbSession.Of(transaction), tags, cancellationToken);

    public Task<LeasedConcurrencyLimit?> GetLeasedAsync(IGrainTransaction transaction, string tag, CancellationToken cancellationToken) =>
        ConcurrencyLimitStore.GetLeasedAsync(DbSession.Of(transaction), tag, cancellationToken);

    public Task<bool> InsertAsync(IGrainTransaction transaction, ConcurrencyLimit limit, CancellationToken cancellationToken) =>
        ConcurrencyLimitStore.InsertAsync(DbSession.Of(transaction), limit, cancellationToken);

    public Task<bool> UpdateAsync(IGrainTransaction transaction, LeasedConcurrencyLimit changed, long version, CancellationToken cancellationToken) =>
        ConcurrencyLimitStore.UpdateAsync(DbSession.Of(transaction), changed, version, cancellationToken);

    public Task<bool> DeleteAsync(IGrainTransaction transaction, Guid id, long version, CancellationToken cancellationToken) =>
        ConcurrencyLimitStore.DeleteAsync(DbSession.Of(transaction), id, version, cancellationToken);
}
