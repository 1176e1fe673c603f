using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.SavedSearches;

/// <summary>The UI's saved searches: upserted by name, read, listed and deleted.</summary>
public sealed class SavedSearchCatalog(OrleansFlowSilo silo)
{
    /// <summary>Creates the saved search named <paramref name="name"/>, or replaces its filters; returns it and whether
    /// it is new.</summary>
    public async Task<(SavedSearch Search, bool Created)> UpsertAsync(string name, IReadOnlyList<SavedSearchFilter> filters, CancellationToken cancellationToken)
    {
        var now = silo.Clock.GetUtcNow();
        var search = new SavedSearch { Id = silo.NewId(), Name = name, Filters = filters, Created = now, Updated = now };
        var stored = await silo.Database.WriteAsync(session => SavedSearchStore.UpsertAsync(session, search, cancellationToken), cancellationToken).ConfigureAwait(false);
        return (stored, stored.Id == search.Id);
    }

    /// <summary>The saved search with <paramref name="id"/>, or null.</summary>
    public Task<SavedSearch?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => SavedSearchStore.GetAsync(session, id, cancellationToken), cancellationToken);

    /// <summary>A page of saved searches ordered by name.</summary>
    public Task<List<SavedSearch>> ListAsync(int limit, int offset, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => SavedSearchStore.ListAsync(session, limit, offset, cancellationToken), cancellationToken);

    /// <summary>Deletes the saved search with <paramref name="id"/>; false when there is none.</summary>
    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(session => SavedSearchStore.DeleteAsync(session, id, cancellationToken), cancellationToken);
}
