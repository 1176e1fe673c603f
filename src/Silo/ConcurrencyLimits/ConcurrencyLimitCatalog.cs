using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.ConcurrencyLimits;

/// <summary>Tag concurrency limits: created, read, reset and deleted through each tag's grain (<see
/// cref="IConcurrencyLimitGrain"/>), which task-run transitions also take slots from and give them back to.</summary>
public sealed class ConcurrencyLimitCatalog(OrleansFlowSilo silo)
{
    /// <summary>Creates the tag's limit or changes it (keeping the slots held).</summary>
    public Task<ConcurrencyLimit> UpsertAsync(string tag, int limit, CancellationToken cancellationToken) =>
        silo.ConcurrencyLimit(tag).UpsertAsync(limit).WaitAsync(cancellationToken);

    /// <summary>The limit with <paramref name="id"/>, or null.</summary>
    public async Task<ConcurrencyLimit?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await TagOfAsync(id, cancellationToken).ConfigureAwait(false) is { } tag
        && await silo.ConcurrencyLimit(tag).GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false) is { } limit
        && limit.Id == id
            ? limit
            : null;

    /// <summary>The limit of <paramref name="tag"/>, or null.</summary>
    public Task<ConcurrencyLimit?> GetByTagAsync(string tag, CancellationToken cancellationToken) =>
        silo.ConcurrencyLimit(tag).GetAsync().WaitAsync(cancellationToken);

    /// <summary>A page of limits ordered by tag, as committed.</summary>
    public Task<List<ConcurrencyLimit>> ListAsync(int limit, int offset, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => ConcurrencyLimitStore.ListAsync(session, limit, offset, cancellationToken), cancellationToken);

    /// <summary>Replaces the runs holding the tag's slots (Prefect's reset; none when <paramref name="slots"/> is empty).</summary>
    /// <returns>False when the tag has no limit.</returns>
    public Task<bool> ResetAsync(string tag, IReadOnlyList<Guid> slots, CancellationToken cancellationToken) =>
        silo.ConcurrencyLimit(tag).ResetAsync(slots).WaitAsync(cancellationToken);

    /// <summary>Deletes the limit with <paramref name="id"/>; false when there is none.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        await TagOfAsync(id, cancellationToken).ConfigureAwait(false) is { } tag
        && await silo.ConcurrencyLimit(tag).DeleteAsync(id).WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes the limit of <paramref name="tag"/>; false when there is none.</summary>
    public Task<bool> DeleteByTagAsync(string tag, CancellationToken cancellationToken) =>
        silo.ConcurrencyLimit(tag).DeleteAsync(null).WaitAsync(cancellationToken);

    private async Task<string?> TagOfAsync(Guid id, CancellationToken cancellationToken) =>
        (await silo.Database.ReadAsync(session => ConcurrencyLimitStore.GetAsync(session, id, cancellationToken), cancellationToken).ConfigureAwait(false))?.Tag;
}
