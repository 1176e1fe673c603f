using OrleansFlow.Grains.Automations;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Automations;

/// <summary>Automations (Prefect 3's <c>/automations</c>) and their firing history. Every change is written first, then
/// told to the automation's grain, which reloads it.</summary>
public sealed class AutomationCatalog(OrleansFlowSilo silo)
{
    /// <summary>Stores a new automation (its triggers already carry fresh ids: <see cref="AutomationJson.ParseRequest"/>)
    /// with a new id and the clock's time, relates it to the deployments it runs and to its owner.</summary>
    public async Task<Automation> CreateAsync(Automation automation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(automation);
        var now = silo.Clock.GetUtcNow();
        var created = automation with { Id = silo.NewId(), Created = now, Updated = now };
        await silo.Database.WriteAsync(async session =>
        {
            await AutomationStore.InsertAsync(session, created, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        await NotifyAsync(created.Id).ConfigureAwait(false);
        return created with { OwnerResource = null };
    }

    /// <summary>The automation with <paramref name="id"/>, or null.</summary>
    public Task<Automation?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => AutomationStore.GetAsync(session, id, cancellationToken), cancellationToken);

    /// <summary>Replaces the automation's definition (Prefect's PUT; its trigger state starts afresh, as the triggers get
    /// new ids); false when there is none.</summary>
    public async Task<bool> ReplaceAsync(Guid id, Automation automation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(automation);
        var replaced = await silo.Database.WriteAsync(async session =>
            await AutomationStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false) is { } existing
            && await AutomationStore.UpdateAsync(session, automation with
            {
                Id = id,
                Created = existing.Created,
                Updated = silo.Clock.GetUtcNow(),
                OwnerResource = null,
            }, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (replaced)
        {
            await NotifyAsync(id).ConfigureAwait(false);
        }

        return replaced;
    }

    /// <summary>Enables or disables the automation (Prefect's PATCH); false when there is none.</summary>
    public async Task<bool> SetEnabledAsync(Guid id, bool enabled, CancellationToken cancellationToken)
    {
        var changed = await silo.Database.WriteAsync(async session =>
            await AutomationStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false) is { } existing
            && await AutomationStore.UpdateAsync(session, existing with { Enabled = enabled, Updated = silo.Clock.GetUtcNow() }, cancellationToken)
                .ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            await NotifyAsync(id).ConfigureAwait(false);
        }

        return changed;
    }

    /// <summary>Deletes the automation, its trigger state and its firing history; false when there is none.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var deleted = await silo.Database.WriteAsync(session => AutomationStore.DeleteAsync(session, id, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        if (deleted)
        {
            await NotifyAsync(id).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <summary>A page of automations (Prefect's <c>/automations/filter</c>).</summary>
    public Task<List<Automation>> FilterAsync(AutomationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return silo.Database.ReadAsync(async session =>
        {
            var sql = $"{SqlCatalog.Get(session.Dialect, "automations.select")} {Where(session.Dialect, query, out var bind)} ORDER BY {OrderBy(query.Sort)} LIMIT @limit OFFSET @offset";
            await using var command = bind(session.Text(sql)).Add("limit", query.Limit).Add("offset", query.Offset);
            return await command.ListAsync(AutomationStore.Map, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>How many automations match <paramref name="query"/>'s filters (paging and order ignored; Prefect's
    /// <c>/automations/count</c> counts them all).</summary>
    public Task<long> CountAsync(AutomationQuery? query, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session =>
        {
            var sql = $"SELECT COUNT(*) FROM automations {Where(session.Dialect, query ?? new AutomationQuery(), out var bind)}";
            await using var command = bind(session.Text(sql));
            return await command.CountAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The automations related to the resource (e.g. <c>prefect.deployment.{id}</c>): those that run it and
    /// those it owns, by name.</summary>
    public Task<List<Automation>> RelatedToAsync(string resourceId, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session =>
        {
            await using var command = session.Named("automations.related_to").Add("resource_id", resourceId);
            return await command.ListAsync(AutomationStore.Map, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Deletes the automations owned by the resource (created with it as <c>owner_resource</c>).</summary>
    /// <returns>How many were deleted.</returns>
    public async Task<int> DeleteOwnedByAsync(string resourceId, CancellationToken cancellationToken)
    {
        var ids = await silo.Database.WriteAsync(async session =>
        {
            var owned = await AutomationStore.OwnedByAsync(session, resourceId, cancellationToken).ConfigureAwait(false);
            foreach (var id in owned)
            {
                await AutomationStore.DeleteAsync(session, id, cancellationToken).ConfigureAwait(false);
            }

            return owned;
        }, cancellationToken).ConfigureAwait(false);
        foreach (var id in ids)
        {
            await NotifyAsync(id).ConfigureAwait(false);
        }

        return ids.Count;
    }

    /// <summary>The automation's firings, newest first, with the result of every action.</summary>
    public Task<List<AutomationFiring>> FiringsAsync(Guid automationId, int limit, int offset, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => AutomationStore.FiringsAsync(session, automationId, pendingOnly: false, limit, offset, cancellationToken),
            cancellationToken);

    /// <summary>Every enabled automation (what the dispatcher delivers events to).</summary>
    public Task<List<Automation>> EnabledAsync(CancellationToken cancellationToken) =>
        FilterAsync(new AutomationQuery { Enabled = true, Limit = int.MaxValue }, cancellationToken);

    private static string OrderBy(AutomationSort sort) => sort switch
    {
        AutomationSort.NameDesc => "name DESC, id DESC",
        AutomationSort.CreatedDesc => "created DESC, id DESC",
        AutomationSort.UpdatedDesc => "updated DESC, id DESC",
        _ => "name ASC, id ASC",
    };

    private static string Where(SqlDialect dialect, AutomationQuery query, out Func<SqlCommand, SqlCommand> bind)
    {
        var clauses = new List<string>();
        var binds = new List<Func<SqlCommand, SqlCommand>>();
        if (query.NameAny is { } names)
        {
            var parameters = names.Select((n, i) => (Name: $"name{i}", Value: n)).ToList();
            clauses.Add(parameters.Count == 0 ? "1=0" : $"name IN ({string.Join(", ", parameters.Select(p => "@" + p.Name))})");
            binds.Add(c => parameters.Aggregate(c, (command, p) => command.Add(p.Name, p.Value)));
        }

        if (query.TagsAll is { Count: > 0 } tags)
        {
            if (dialect == SqlDialect.Postgres)
            {
                clauses.Add("tags @> @tags_all");
                binds.Add(c => c.AddTags("tags_all", tags));
            }
            else
            {
                var parameters = tags.Select((t, i) => (Name: $"tag{i}", Value: t)).ToList();
                clauses.AddRange(parameters.Select(p => $"EXISTS (SELECT 1 FROM json_each(automations.tags) WHERE value = @{p.Name})"));
                binds.Add(c => parameters.Aggregate(c, (command, p) => command.Add(p.Name, p.Value)));
            }
        }

        if (query.CreatedBefore is { } before)
        {
            clauses.Add("created <= @created_before");
            binds.Add(c => c.Add("created_before", before));
        }

        if (query.Enabled is { } enabled)
        {
            clauses.Add("enabled = @enabled");
            binds.Add(c => c.Add("enabled", enabled));
        }

        bind = command => binds.Aggregate(command, (c, b) => b(c));
        return clauses.Count == 0 ? "" : "WHERE " + string.Join(" AND ", clauses);
    }

    private Task NotifyAsync(Guid id) => silo.Grains.GetGrain<IAutomationGrain>(id).RefreshAsync();
}
