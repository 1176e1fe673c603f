using System.Data.Common;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.SavedSearches;

/// <summary>Rows of <c>saved_searches</c>.</summary>
internal static class SavedSearchStore
{
    /// <summary>Creates the saved search, or replaces the filters of the one with its name; returns the stored row.</summary>
    public static async Task<SavedSearch> UpsertAsync(DbSession session, SavedSearch search, CancellationToken cancellationToken)
    {
        await using var command = session.Named("saved_searches.upsert")
            .Add("id", search.Id).Add("name", search.Name).AddJson("filters", search.Filters).Add("now", search.Created);
        return (await command.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false))!;
    }

    public static async Task<SavedSearch?> GetAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("saved_searches.by_id").Add("id", id);
        return await command.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<List<SavedSearch>> ListAsync(DbSession session, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var command = session.Named("saved_searches.list").Add("limit", limit).Add("offset", offset);
        return await command.ListAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<bool> DeleteAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("saved_searches.delete").Add("id", id);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static SavedSearch Map(DbDataReader reader) => new()
    {
        Id = Rows.Guid(reader, 0),
        Name = reader.GetString(1),
        Filters = Rows.Json<List<SavedSearchFilter>>(reader, 2),
        Created = Rows.Time(reader, 3),
        Updated = Rows.Time(reader, 4),
    };
}
