using System.Text.Json;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Variables;

/// <summary>Variables by id and by name, and Prefect's <c>/variables/filter</c> and <c>/count</c> queries.</summary>
public sealed class VariableCatalog(OrleansFlowSilo silo)
{
    private static readonly HashSet<string> Sections = ["variables"];

    private static readonly Dictionary<string, string> Sorts = new()
    {
        ["CREATED_DESC"] = "created DESC, id DESC",
        ["UPDATED_DESC"] = "updated DESC, id DESC",
        ["NAME_DESC"] = "name DESC",
        ["NAME_ASC"] = "name ASC",
    };

    /// <summary>Creates a variable; null when the name is taken.</summary>
    public Task<Variable?> CreateAsync(string name, string value, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var now = silo.Clock.GetUtcNow();
        var variable = new Variable { Id = silo.NewId(), Name = name, Value = value, Tags = tags, Created = now, Updated = now };
        return silo.Database.WriteAsync(async session =>
            await VariableStore.InsertAsync(session, variable, cancellationToken).ConfigureAwait(false) ? variable : null, cancellationToken);
    }

    /// <summary>The variable with <paramref name="id"/>, or null.</summary>
    public Task<Variable?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => VariableStore.GetAsync(session, id, cancellationToken), cancellationToken);

    /// <summary>The variable named <paramref name="name"/>, or null.</summary>
    public Task<Variable?> GetByNameAsync(string name, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => VariableStore.GetByNameAsync(session, name, cancellationToken), cancellationToken);

    /// <summary>Changes the given fields (null keeps a field) of the variable with <paramref name="id"/>.</summary>
    public Task<VariableChange> UpdateAsync(Guid id, string? name, string? value, IReadOnlyList<string>? tags, CancellationToken cancellationToken) =>
        UpdateAsync(session => VariableStore.GetAsync(session, id, cancellationToken), name, value, tags, cancellationToken);

    /// <summary>Changes the given fields (null keeps a field) of the variable named <paramref name="currentName"/>.</summary>
    public Task<VariableChange> UpdateByNameAsync(string currentName, string? name, string? value, IReadOnlyList<string>? tags, CancellationToken cancellationToken) =>
        UpdateAsync(session => VariableStore.GetByNameAsync(session, currentName, cancellationToken), name, value, tags, cancellationToken);

    /// <summary>Deletes the variable with <paramref name="id"/>; false when there is none.</summary>
    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(session => VariableStore.DeleteAsync(session, id, cancellationToken), cancellationToken);

    /// <summary>Deletes the variable named <paramref name="name"/>; false when there is none.</summary>
    public Task<bool> DeleteByNameAsync(string name, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(session => VariableStore.DeleteByNameAsync(session, name, cancellationToken), cancellationToken);

    /// <summary>Variables matching a Prefect filter body (<c>variables</c>, <c>sort</c> — <c>NAME_ASC</c> by default —,
    /// paging).</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<List<Variable>> FilterAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, Sections, paged: true);
        var orderBy = Sorts.TryGetValue(request.Sort ?? "NAME_ASC", out var sort)
            ? sort
            : throw new FilterException(["sort"], $"value is not a valid enumeration member; permitted: {string.Join(", ", Sorts.Keys.Select(k => $"'{k}'"))}");
        var where = new SqlWhere(silo.Database.Dialect);
        var clause = new FilterTranslator(where).Entity(request.Section("variables"), ResourceFilterFields.Variables, ["variables"]) ?? "1=1";
        return silo.Database.ReadAsync(async session =>
        {
            var sql = $"{SqlCatalog.Get(session.Dialect, "variables.select")} WHERE {clause} ORDER BY {orderBy} LIMIT {where.Param(request.Limit)} OFFSET {where.Param(request.Offset)}";
            await using var command = where.Bind(session.Text(sql));
            return await command.ListAsync(VariableStore.Map, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>How many variables match a Prefect filter body (<c>variables</c>).</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<long> CountAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, Sections, paged: false);
        var where = new SqlWhere(silo.Database.Dialect);
        var clause = new FilterTranslator(where).Entity(request.Section("variables"), ResourceFilterFields.Variables, ["variables"]) ?? "1=1";
        return silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text($"SELECT COUNT(*) FROM variables WHERE {clause}"));
            return await command.CountAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private Task<VariableChange> UpdateAsync(Func<DbSession, Task<Variable?>> find, string? name, string? value, IReadOnlyList<string>? tags,
        CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(async session =>
        {
            if (await find(session).ConfigureAwait(false) is not { } variable)
            {
                return VariableChange.NotFound;
            }

            var changed = variable with { Name = name ?? variable.Name, Value = value ?? variable.Value, Tags = tags ?? variable.Tags, Updated = silo.Clock.GetUtcNow() };
            return await VariableStore.UpdateAsync(session, changed, cancellationToken).ConfigureAwait(false) ? VariableChange.Updated : VariableChange.NameTaken;
        }, cancellationToken);
}
