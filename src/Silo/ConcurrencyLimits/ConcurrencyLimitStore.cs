using System.Data.Common;
using System.Text.Json;
using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Grains.Json;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.ConcurrencyLimits;

/// <summary>Rows of <c>concurrency_limits</c> (tag limits and the task runs holding their slots).</summary>
internal static class ConcurrencyLimitStore
{
    /// <summary>The limits of <paramref name="tags"/>; on PostgreSQL the rows stay locked until the transaction ends.</summary>
    public static async Task<List<ConcurrencyLimit>> ForTagsAsync(DbSession session, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        await using var command = session.Named("concurrency_limits.by_tags").AddTags("tags", tags);
        return await command.ListAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task SetSlotsAsync(DbSession session, ConcurrencyLimit limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = session.Named("concurrency_limits.set_slots")
            .Add("id", limit.Id).AddJson("active_slots", limit.ActiveSlots).Add("updated", now);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives back every slot held by the task runs that the named statement selects (rows of id, tags) with
    /// the single parameter <c>@id</c>; used before deleting runs, so that no slot is held by a run that is gone.</summary>
    public static async Task ReleaseHeldByAsync(DbSession session, string selectRuns, Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        List<(Guid Id, IReadOnlyList<string> Tags)> runs;
        await using (var select = session.Named(selectRuns).Add("id", id))
        {
            runs = await select.ListAsync(r => (Rows.Guid(r, 0), Rows.Tags(r, 1)), cancellationToken).ConfigureAwait(false);
        }

        var tagged = runs.Where(r => r.Tags.Count > 0).ToList();
        if (tagged.Count == 0)
        {
            return;
        }

        var ids = tagged.Select(r => r.Id).ToHashSet();
        var limits = await ForTagsAsync(session, [.. tagged.SelectMany(r => r.Tags).Distinct()], cancellationToken).ConfigureAwait(false);
        await ReleaseAsync(session, limits, ids, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes <paramref name="runIds"/> from the active slots of <paramref name="limits"/> (writing only the
    /// limits that change).</summary>
    public static async Task ReleaseAsync(DbSession session, IEnumerable<ConcurrencyLimit> limits, IReadOnlySet<Guid> runIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var limit in limits)
        {
            if (limit.ActiveSlots.Any(runIds.Contains))
            {
                await SetSlotsAsync(session, limit with { ActiveSlots = [.. limit.ActiveSlots.Where(s => !runIds.Contains(s))] }, now, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Creates the limit of a tag, or changes its limit when the tag has one (its slots are kept).</summary>
    public static async Task<ConcurrencyLimit> UpsertAsync(DbSession session, Guid newId, string tag, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = session.Named("concurrency_limits.upsert")
            .Add("id", newId).Add("tag", tag).Add("concurrency_limit", limit).Add("now", now);
        return (await command.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false))!;
    }

    public static async Task<ConcurrencyLimit?> GetAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("concurrency_limits.by_id").Add("id", id);
        return await command.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<ConcurrencyLimit?> GetByTagAsync(DbSession session, string tag, CancellationToken cancellationToken)
    {
        await using var command = session.Named("concurrency_limits.by_tag").Add("tag", tag);
        return await command.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<List<ConcurrencyLimit>> ListAsync(DbSession session, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var command = session.Named("concurrency_limits.list").Add("limit", limit).Add("offset", offset);
        return await command.ListAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<bool> DeleteAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("concurrency_limits.delete_by_id").Add("id", id);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public static async Task<bool> DeleteByTagAsync(DbSession session, string tag, CancellationToken cancellationToken)
    {
        await using var command = session.Named("concurrency_limits.delete_by_tag").Add("tag", tag);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
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
}
