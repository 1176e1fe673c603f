using System.Data.Common;
using OrleansFlow.Grains.Automations;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Automations;

/// <summary>Rows of <c>automations</c>, <c>automation_related_resources</c>, <c>automation_trigger_states</c>,
/// <c>automation_firings</c> and <c>automation_cursors</c>.</summary>
internal static class AutomationStore
{
    public static async Task InsertAsync(DbSession session, Automation automation, CancellationToken cancellationToken)
    {
        await using var command = Bind(session.Named("automations.insert"), automation).Add("created", automation.Created);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await RelateAsync(session, automation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="automation"/> over its row; false when there is none.</summary>
    public static async Task<bool> UpdateAsync(DbSession session, Automation automation, CancellationToken cancellationToken)
    {
        await using var command = Bind(session.Named("automations.update"), automation);
        if (await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }

        await using (var unrelate = session.Named("automation_related_resources.delete_unowned").Add("id", automation.Id).Add("owned", false))
        {
            await unrelate.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        await RelateAsync(session, automation, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public static async Task<Automation?> GetAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("automations.by_id").Add("id", id);
        return await command.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the automation, its relations, its trigger state and its firings; false when there is none.</summary>
    public static async Task<bool> DeleteAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        foreach (var name in new[] { "automation_related_resources.delete_all", "automation_trigger_states.delete", "automation_firings.delete_for_automation" })
        {
            await using var dependent = session.Named(name).Add("id", id);
            await dependent.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var command = session.Named("automations.delete").Add("id", id);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public static async Task<List<Guid>> OwnedByAsync(DbSession session, string resourceId, CancellationToken cancellationToken)
    {
        await using var command = session.Named("automation_related_resources.owned_by").Add("resource_id", resourceId).Add("owned", true);
        return await command.ListAsync(r => Rows.Guid(r, 0), cancellationToken).ConfigureAwait(false);
    }

    public static async Task<(AutomationTriggerState State, long Version)> GetStateAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("automation_trigger_states.by_id").Add("id", id);
        var (state, version) = await command.FirstOrDefaultAsync(r => (Rows.Json<AutomationTriggerState>(r, 0), r.GetInt64(1)), cancellationToken)
            .ConfigureAwait(false);
        return (state ?? AutomationTriggerState.Empty, version);
    }

    /// <summary>Writes the trigger state if its row is still at <paramref name="expected"/>.</summary>
    /// <exception cref="ConcurrencyConflictException">Another activation wrote it since.</exception>
    public static async Task<long> WriteStateAsync(DbSession session, Guid id, AutomationTriggerState state, long expected, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var command = session.Named("automation_trigger_states.upsert")
            .Add("id", id).AddJson("state", state).Add("version", expected + 1).Add("expected", expected).Add("updated", now);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1
            ? expected + 1
            : throw new ConcurrencyConflictException($"The trigger state of automation {id} was written by another activation.");
    }

    public static async Task InsertFiringAsync(DbSession session, AutomationFiring firing, CancellationToken cancellationToken)
    {
        await using var command = session.Named("automation_firings.insert")
            .Add("id", firing.Id).Add("automation_id", firing.AutomationId).Add("trigger_id", firing.TriggerId).Add("fired", firing.Fired)
            .Add("bucket_key", firing.BucketKey).AddJson("triggering_labels", firing.TriggeringLabels).AddJson("triggering_event", firing.TriggeringEvent)
            .AddJson("event_ids", firing.EventIds).Add("status", firing.Status).AddJson("action_results", firing.ActionResults).Add("updated", firing.Updated);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task UpdateFiringAsync(DbSession session, AutomationFiring firing, CancellationToken cancellationToken)
    {
        await using var command = session.Named("automation_firings.update")
            .Add("id", firing.Id).Add("status", firing.Status).AddJson("action_results", firing.ActionResults).Add("updated", firing.Updated);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Firings of <paramref name="automationId"/>, newest first; only pending ones when <paramref name="pendingOnly"/>.</summary>
    public static async Task<List<AutomationFiring>> FiringsAsync(DbSession session, Guid automationId, bool pendingOnly, int limit, int offset,
        CancellationToken cancellationToken)
    {
        var sql = $"{SqlCatalog.Get(session.Dialect, "automation_firings.select")} WHERE automation_id = @id"
            + (pendingOnly ? " AND status = 'pending'" : "") + " ORDER BY fired DESC, id DESC LIMIT @limit OFFSET @offset";
        await using var command = session.Text(sql).Add("id", automationId).Add("limit", limit).Add("offset", offset);
        return await command.ListAsync(MapFiring, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<long?> GetCursorAsync(DbSession session, string name, CancellationToken cancellationToken)
    {
        await using var command = session.Named("automation_cursors.get").Add("name", name);
        return await command.ScalarAsync(cancellationToken).ConfigureAwait(false) is { } seq ? Convert.ToInt64(seq, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Moves the cursor forward to <paramref name="seq"/> (never back).</summary>
    public static async Task SetCursorAsync(DbSession session, string name, long seq, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = session.Named("automation_cursors.upsert").Add("name", name).Add("seq", seq).Add("updated", now);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    public static Automation Map(DbDataReader reader) => AutomationJson.ParseStored(reader.GetString(4)) with
    {
        Id = Rows.Guid(reader, 0),
        Name = reader.GetString(1),
        Enabled = reader.GetBoolean(2),
        Tags = [.. Rows.Tags(reader, 3)],
        Created = Rows.Time(reader, 5),
        Updated = Rows.Time(reader, 6),
    };

    public static AutomationFiring MapFiring(DbDataReader reader) => new()
    {
        Id = Rows.Guid(reader, 0),
        AutomationId = Rows.Guid(reader, 1),
        TriggerId = Rows.Guid(reader, 2),
        Fired = Rows.Time(reader, 3),
        BucketKey = reader.GetString(4),
        TriggeringLabels = Rows.Json<Dictionary<string, string>>(reader, 5),
        TriggeringEvent = reader.IsDBNull(6) ? null : Rows.Json<Event>(reader, 6),
        EventIds = Rows.Json<List<Guid>>(reader, 7),
        Status = reader.GetString(8),
        ActionResults = Rows.Json<List<AutomationActionResult>>(reader, 9),
        Updated = Rows.Time(reader, 10),
    };

    private static SqlCommand Bind(SqlCommand command, Automation automation) => command
        .Add("id", automation.Id).Add("name", automation.Name).Add("enabled", automation.Enabled).AddTags("tags", automation.Tags)
        .Add("body", AutomationJson.Serialize(automation)).Add("updated", automation.Updated);

    private static async Task RelateAsync(DbSession session, Automation automation, CancellationToken cancellationToken)
    {
        var related = automation.RelatedResourceIds().Select(id => (id, false));
        if (automation.OwnerResource is { } owner)
        {
            related = related.Append((owner, true));
        }

        foreach (var (resourceId, owned) in related)
        {
            await using var command = session.Named("automation_related_resources.upsert").Add("id", automation.Id).Add("resource_id", resourceId).Add("owned", owned);
            await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
