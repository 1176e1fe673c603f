using System.Data.Common;
using System.Text.Json;
using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Grains.Json;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.ConcurrencyLimits;

/// <summary>Rows of <c>concurrency_limits</c> (tag limits, the task runs holding their slots and the slots' leases).
/// Only a limit's grain writes its row, and every write is conditional on the version the grain read.</summary>
internal static class ConcurrencyLimitStore
{
    /// <summary>The limits of <paramref name="tags"/> as committed, in tag order (no lock: the grains decide).</summary>
    public static async Task<List<ConcurrencyLimit>> ForTagsAsync(DbSession session, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        await using var command = session.Named("concurrency_limits.by_tags").AddTags("tags", tags);
        return await command.ListAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The limit of <paramref name="tag"/> with its leases and version, or null.</summary>
    public static async Task<LeasedConcurrencyLimit?> GetLeasedAsync(DbSession session, string tag, CancellationToken cancellationToken)
    {
        await using var command = session.Named("concurrency_limits.by_tag").Add("tag", tag);
        return await command.FirstOrDefaultAsync(MapLeased, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts a new limit (version 1, no slots); false when the tag has one already.</summary>
    public static async Task<bool> InsertAsync(DbSession session, ConcurrencyLimit limit, CancellationToken cancellationToken)
    {
        await using var command = session.Named("concurrency_limits.insert")
            .Add("id", limit.Id).Add("tag", limit.Tag).Add("concurrency_limit", limit.Limit).Add("now", limit.Created);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Writes <paramref name="changed"/> over the row if it is still at <paramref name="version"/> (the version
    /// moves on by one); false when another writer moved it first.</summary>
    public static async Task<bool> UpdateAsync(DbSession session, LeasedConcurrencyLimit changed, long version, CancellationToken cancellationToken)
    {
        await using var command = session.Named("concurrency_limits.update")
            .Add("id", changed.Limit.Id).Add("concurrency_limit", changed.Limit.Limit)
            .AddJson("active_slots", changed.Limit.ActiveSlots).AddJson("slot_leases", changed.Leases)
            .Add("updated", changed.Limit.Updated).Add("version", version);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Deletes the row if it is still at <paramref name="version"/>; false when it is gone or moved on.</summary>
    public static async Task<bool> DeleteAsync(DbSession session, Guid id, long version, CancellationToken cancellationToken)
    {
        await using var command = session.Named("concurrency_limits.delete").Add("id", id).Add("version", version);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public static async Task<ConcurrencyLimit?> GetAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("concurrency_limits.by_id").Add("id", id);
        return await command.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<List<ConcurrencyLimit>> ListAsync(DbSession session, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var command = session.Named("concurrency_limits.list").Add("limit", limit).Add("offset", offset);
        return await command.ListAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    private static ConcurrencyLimit Map(DbDataReader reader) => new()
    {
        Id = Rows.Guid(reader, 0),
        Tag = reader.GetString(1),
        Limit = Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
        ActiveSlots = JsonSerializer.Deserialize<Guid[]>(reader.GetString(3), OrleansFlowJson.Options) ?? [],
        Created = Rows.Time(reader, 4),
        Updated = Rows.Time(reader, 5),
    };

    private static LeasedConcurrencyLimit MapLeased(DbDataReader reader) => new(
        Map(reader),
        Rows.Json<Dictionary<Guid, DateTimeOffset>>(reader, 7),
        Convert.ToInt64(reader.GetValue(6), System.Globalization.CultureInfo.InvariantCulture));
}
