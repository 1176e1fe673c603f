using System.Data.Common;
using System.Globalization;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.GlobalConcurrencyLimits;

/// <summary>Rows of <c>global_concurrency_limits</c>.</summary>
internal static class GlobalConcurrencyLimitStore
{
    /// <summary>Inserts <paramref name="limit"/>; false when its name is taken.</summary>
    public static async Task<bool> InsertAsync(DbSession session, GlobalConcurrencyLimit limit, CancellationToken cancellationToken)
    {
        await using var command = Bind(session.Named("global_concurrency_limits.insert"), limit).Add("now", limit.Created);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public static async Task<GlobalConcurrencyLimit?> GetAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("global_concurrency_limits.by_id").Add("id", id);
        return await command.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<GlobalConcurrencyLimit?> GetByNameAsync(DbSession session, string name, CancellationToken cancellationToken)
    {
        await using var command = session.Named("global_concurrency_limits.by_name").Add("name", name);
        return await command.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The limits named <paramref name="names"/>; on PostgreSQL the rows stay locked until the transaction ends.</summary>
    public static async Task<List<GlobalConcurrencyLimit>> ForNamesAsync(DbSession session, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        await using var command = session.Named("global_concurrency_limits.for_names").AddTags("names", names);
        return await command.ListAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<List<GlobalConcurrencyLimit>> ListAsync(DbSession session, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var command = session.Named("global_concurrency_limits.list").Add("limit", limit).Add("offset", offset);
        return await command.ListAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="limit"/>; false when another limit has its name.</summary>
    public static async Task<bool> UpdateAsync(DbSession session, GlobalConcurrencyLimit limit, CancellationToken cancellationToken)
    {
        await using var command = Bind(session.Named("global_concurrency_limits.update"), limit).Add("updated", limit.Updated);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public static async Task<bool> DeleteAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("global_concurrency_limits.delete").Add("id", id);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static SqlCommand Bind(SqlCommand command, GlobalConcurrencyLimit limit) => command
        .Add("id", limit.Id).Add("name", limit.Name).Add("active", limit.Active).Add("concurrency_limit", limit.Limit)
        .Add("active_slots", limit.ActiveSlots).Add("denied_slots", limit.DeniedSlots)
        .Add("slot_decay_per_second", limit.SlotDecayPerSecond).Add("avg_slot_occupancy_seconds", limit.AvgSlotOccupancySeconds);

    private static GlobalConcurrencyLimit Map(DbDataReader reader) => new()
    {
        Id = Rows.Guid(reader, 0),
        Name = reader.GetString(1),
        Active = Convert.ToBoolean(reader.GetValue(2), CultureInfo.InvariantCulture),
        Limit = Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture),
        ActiveSlots = Convert.ToDouble(reader.GetValue(4), CultureInfo.InvariantCulture),
        DeniedSlots = Convert.ToDouble(reader.GetValue(5), CultureInfo.InvariantCulture),
        SlotDecayPerSecond = Convert.ToDouble(reader.GetValue(6), CultureInfo.InvariantCulture),
        AvgSlotOccupancySeconds = Convert.ToDouble(reader.GetValue(7), CultureInfo.InvariantCulture),
        Created = Rows.Time(reader, 8),
        Updated = Rows.Time(reader, 9),
    };
}
