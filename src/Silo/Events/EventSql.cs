using System.Globalization;
using System.Text;
using OrleansFlow.Grains.Events;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Events;

/// <summary>Translates an <see cref="EventFilter"/> (with its times set) into a WHERE clause over <c>events e</c>, with
/// every value a parameter. Filters on an event's own resource read the event's columns (<c>resource_id</c>, served by
/// <c>ix_events_resource</c>, and the <c>resource</c> JSON); filters on related resources become
/// <c>e.id IN (SELECT event_id FROM event_resources ...)</c>, scoped to the same occurred range so the resource index does
/// the work. <c>event_resources</c> holds related resources only (migration 0021: the own resource's row repeated the
/// event's columns).</summary>
internal sealed class EventSql
{
    private readonly SqlDialect _dialect;
    private readonly List<(string Name, object? Value)> _parameters = [];
    private readonly List<string> _clauses = [];

    public EventSql(SqlDialect dialect, EventFilter filter)
    {
        _dialect = dialect;
        var since = Param(filter.Occurred.Since ?? DateTimeOffset.MinValue);
        var until = Param(filter.Occurred.Until ?? DateTimeOffset.MaxValue);
        _clauses.Add($"e.occurred >= {since} AND e.occurred <= {until}");
        if (filter.Event is { } name)
        {
            AnyOf(name.Prefix, p => Like("e.event", p));
            foreach (var p in name.ExcludePrefix ?? [])
            {
                _clauses.Add($"NOT ({Like("e.event", p)})");
            }

            if (name.Name is { Count: > 0 } names)
            {
                _clauses.Add($"e.event IN ({string.Join(", ", names.Select(Param))})");
            }

            if (name.ExcludeName is { Count: > 0 } excluded)
            {
                _clauses.Add($"e.event NOT IN ({string.Join(", ", excluded.Select(Param))})");
            }
        }

        if (filter.Resource is { } resource)
        {
            if (resource.Id is { Count: > 0 } ids)
            {
                _clauses.Add($"e.resource_id IN ({string.Join(", ", ids.Select(Param))})");
            }

            AnyOf(resource.IdPrefix, p => Like("e.resource_id", p));
            if (resource.Labels is { IsEmpty: false } labels)
            {
                _clauses.AddRange(LabelClauses(labels, Own("e")));
            }
        }

        foreach (var related in filter.Related ?? [])
        {
            var conditions = new List<string> { "r.role <> ''" };
            if (related.Id is { Count: > 0 } ids)
            {
                conditions.Add($"r.resource_id IN ({string.Join(", ", ids.Select(Param))})");
            }

            if (related.Role is { Count: > 0 } roles)
            {
                conditions.Add($"r.role IN ({string.Join(", ", roles.Select(Param))})");
            }

            if (related.ResourcesInRoles is { Count: > 0 } pairs)
            {
                conditions.Add("(" + string.Join(" OR ", pairs.Select(p => $"(r.resource_id = {Param(p[0])} AND r.role = {Param(p[1])})")) + ")");
            }

            if (related.Labels is { IsEmpty: false } labels)
            {
                conditions.AddRange(LabelClauses(labels, Related));
            }

            _clauses.Add(Resources(since, until, conditions));
        }

        foreach (var any in filter.AnyResource ?? [])
        {
            // The event's own resource (the columns of events, alias o) or one of its related resources (their rows): one
            // subquery of two indexed branches, so neither database falls back to scanning the time range.
            var own = new List<string>();
            var related = new List<string> { "r.role <> ''" };
            if (any.Id is { Count: > 0 } ids)
            {
                var list = string.Join(", ", ids.Select(Param));
                own.Add($"o.resource_id IN ({list})");
                related.Add($"r.resource_id IN ({list})");
            }

            if (any.IdPrefix is { Count: > 0 } prefixes)
            {
                own.Add("(" + string.Join(" OR ", prefixes.Select(p => Like("o.resource_id", p))) + ")");
                related.Add("(" + string.Join(" OR ", prefixes.Select(p => Like("r.resource_id", p))) + ")");
            }

            if (any.Labels is { IsEmpty: false } labels)
            {
                own.AddRange(LabelClauses(labels, Own("o")));
                related.AddRange(LabelClauses(labels, Related));
            }

            if (own.Count > 0)
            {
                _clauses.Add($"e.id IN (SELECT o.id FROM events o WHERE o.occurred >= {since} AND o.occurred <= {until} AND "
                    + $"{string.Join(" AND ", own)} UNION ALL {RelatedRows(since, until, related)})");
            }
        }

        if (filter.Id?.Id is { Count: > 0 } eventIds)
        {
            _clauses.Add($"e.id IN ({string.Join(", ", eventIds.Select(id => Param(id)))})");
        }
    }

    /// <summary>The WHERE clause (without the keyword).</summary>
    public string Where => string.Join(" AND ", _clauses);

    /// <summary>A parameter's placeholder for <paramref name="value"/>.</summary>
    public string Param(object? value)
    {
        var name = "q" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add((name, value));
        return "@" + name;
    }

    /// <summary>Binds the parameters to <paramref name="command"/>.</summary>
    public SqlCommand Bind(SqlCommand command)
    {
        foreach (var (name, value) in _parameters)
        {
            command.Add(name, value);
        }

        return command;
    }

    private void AnyOf(IReadOnlyList<string>? values, Func<string, string> clause)
    {
        if (values is { Count: > 0 })
        {
            _clauses.Add("(" + string.Join(" OR ", values.Select(clause)) + ")");
        }
    }

    private static string Resources(string since, string until, IEnumerable<string> conditions) =>
        $"e.id IN ({RelatedRows(since, until, conditions)})";

    private static string RelatedRows(string since, string until, IEnumerable<string> conditions) =>
        $"SELECT r.event_id FROM event_resources r WHERE r.occurred >= {since} AND r.occurred <= {until} AND {string.Join(" AND ", conditions)}";

    /// <summary>The columns of an event's own resource in the <c>events</c> row of <paramref name="alias"/>: its id, no role,
    /// its labels.</summary>
    private static (string Id, string Role, string Labels) Own(string alias) => ($"{alias}.resource_id", "NULL", $"{alias}.resource");

    /// <summary>The columns of a related resource's row.</summary>
    private static readonly (string Id, string Role, string Labels) Related = ("r.resource_id", "NULLIF(r.role, '')", "r.labels");

    /// <summary>One clause per label: the label's value (the id and role from their columns) matches one expected value.</summary>
    private IEnumerable<string> LabelClauses(ResourceSpecification labels, (string Id, string Role, string Labels) columns)
    {
        foreach (var (label, expected) in labels.Labels)
        {
            if (expected.IsDefaultOrEmpty)
            {
                yield return "1 = 0";
                continue;
            }

            var column = label switch
            {
                Resource.IdLabel => columns.Id,
                Resource.RoleLabel => columns.Role,
                _ => _dialect == SqlDialect.Postgres
                    ? $"({columns.Labels} ->> {Param(label)})"
                    : $"json_extract({columns.Labels}, {Param("$.\"" + label.Replace("\"", "", StringComparison.Ordinal) + "\"")})",
            };
            yield return "(" + string.Join(" OR ", expected.Select(value => Match(column, value))) + ")";
        }
    }

    /// <summary>A value, a prefix ending in <c>*</c>, or either after <c>!</c>; a missing label matches nothing.</summary>
    private string Match(string column, string expected)
    {
        var negated = expected.StartsWith('!');
        var pattern = negated ? expected[1..] : expected;
        var test = pattern.EndsWith('*') ? Like(column, pattern[..^1]) : $"{column} = {Param(pattern)}";
        return negated ? $"({column} IS NOT NULL AND NOT ({test}))" : test;
    }

    /// <summary>A case-sensitive prefix test that uses an index: on SQLite (whose LIKE ignores case) a range of the
    /// binary order, below the prefix followed by the highest code point; on PostgreSQL LIKE with the prefix's wildcards
    /// escaped (the indexes use text_pattern_ops).</summary>
    private string Like(string column, string prefix)
    {
        if (_dialect == SqlDialect.Sqlite)
        {
            return $"({column} >= {Param(prefix)} AND {column} < {Param(prefix + char.ConvertFromUtf32(0x10FFFF))})";
        }

        var escaped = new StringBuilder(prefix.Length + 1);
        foreach (var c in prefix)
        {
            if (c is '%' or '_' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return $"{column} LIKE {Param(escaped.Append('%').ToString())} ESCAPE '\\'";
    }
}
