using System.Globalization;
using System.Text.Json;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Queries;

/// <summary>Translates Prefect filter objects (<c>{"name": {"any_": [...]}, "tags": {"all_": [...]}, ...}</c>) into SQL
/// clauses. Unknown fields and operators are refused with a <see cref="FilterException"/> naming them, as Prefect's
/// schemas forbid extra fields; null operators are ignored, as the Prefect client sends them.</summary>
/// <param name="where">Collects the parameters.</param>
/// <param name="probe">SQLite, many rows match: test each tag of a row read in sort order with an indexed <c>EXISTS</c>
/// instead of collecting the rows with the tag first through <see cref="FilterField.TagTable"/>. When most rows match,
/// a page is found after a few rows, where collecting reads them all; for rare tags collecting is the faster way.</param>
/// <param name="collectText">SQLite, a page of a sorted list with few matches: collect the rows whose text matches by
/// scanning <see cref="FilterField.IndexedTextTable"/>'s narrow index rather than reading whole rows in sort order
/// (a count needs neither: it scans the narrow index by itself).</param>
internal sealed class FilterTranslator(SqlWhere where, bool probe = false, bool collectText = false)
{
    /// <summary>The most values an <c>any_</c> or <c>not_any_</c> list may hold.</summary>
    internal const int MaxListItems = 1000;

    /// <summary>The most tags an <c>all_</c> or <c>any_</c> tag list may hold (each is a subquery on SQLite).</summary>
    internal const int MaxTags = 100;

    /// <summary>The longest <c>like_</c> or <c>startswith_</c> text (SQLite refuses patterns over 50,000 bytes).</summary>
    internal const int MaxPatternLength = 1000;

    private static readonly HashSet<string> StateTypeNames = [.. Enum.GetNames<Grains.States.StateType>().Select(n => n.ToUpperInvariant())];

    public SqlWhere Where { get; } = where;

    /// <summary>Translates one entity filter; returns null when it has no conditions.</summary>
    public string? Entity(JsonElement filter, IReadOnlyDictionary<string, FilterField> fields, IReadOnlyList<string> path)
    {
        if (filter.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        if (filter.ValueKind != JsonValueKind.Object)
        {
            throw new FilterException(path, "must be an object");
        }

        var clauses = new List<string>();
        var any = false;
        foreach (var property in filter.EnumerateObject())
        {
            string[] fieldPath = [.. path, property.Name];
            if (property.Name == "operator")
            {
                any = property.Value.ValueKind != JsonValueKind.Null && Combine(property.Value, fieldPath);
                continue;
            }

            if (!fields.TryGetValue(property.Name, out var field))
            {
                throw new FilterException(fieldPath, "extra fields not permitted");
            }

            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var clause = field switch
            {
                { Custom: { } custom } => custom(this, property.Value, fieldPath),
                { Nested: { } nested } => Entity(property.Value, nested, fieldPath),
                _ => Field(field, property.Value, fieldPath),
            };
            if (clause is not null)
            {
                clauses.Add(clause);
            }
        }

        return clauses.Count == 0 ? null : SqlWhere.Join(clauses, any);
    }

    private string? Field(FilterField field, JsonElement operators, string[] path)
    {
        if (operators.ValueKind != JsonValueKind.Object)
        {
            throw new FilterException(path, "must be an object of operators");
        }

        var column = field.Column!;
        var clauses = new List<string>();
        var any = false;
        foreach (var op in operators.EnumerateObject())
        {
            if (op.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            string[] opPath = [.. path, op.Name];
            if (op.Name == "operator")
            {
                // Prefect's tags, deployment_id, work_queue_name, ... filters combine their own criteria with it.
                any = Combine(op.Value, opPath);
                continue;
            }

            clauses.Add((field.Kind, op.Name) switch
            {
                (FieldKind.Tags, "all_") => TagsAll(field, Strings(op.Value, opPath)),
                (FieldKind.Tags, "any_") => TagsAny(field, Strings(op.Value, opPath)),
                (FieldKind.Tags, "is_null_") => TagsEmpty(column, Bool(op.Value, opPath)),
                (not FieldKind.Tags, "any_") => In(column, Values(field.Kind, op.Value, opPath)),
                (not FieldKind.Tags, "not_any_") => NotIn(column, Values(field.Kind, op.Value, opPath)),
                (not FieldKind.Tags, "is_null_") => Bool(op.Value, opPath) ? $"{column} IS NULL" : $"{column} IS NOT NULL",
                (FieldKind.Text, "like_") => Like(field, "%" + Pattern(op.Value, opPath) + "%"),
                (FieldKind.Text, "startswith_") => Like(field, Pattern(op.Value, opPath) + "%"),
                (FieldKind.Time, "before_") => $"{column} <= {Where.Param(Time(op.Value, opPath))}",
                (FieldKind.Time, "after_") => $"{column} >= {Where.Param(Time(op.Value, opPath))}",
                (FieldKind.Number, "ge_") => $"{column} >= {Where.Param(Number(op.Value, opPath))}",
                (FieldKind.Number, "le_") => $"{column} <= {Where.Param(Number(op.Value, opPath))}",
                (FieldKind.Number, "gt_") => $"{column} > {Where.Param(Number(op.Value, opPath))}",
                (FieldKind.Number, "lt_") => $"{column} < {Where.Param(Number(op.Value, opPath))}",
                (FieldKind.Bool, "eq_") => $"{column} = {Where.Param(Bool(op.Value, opPath))}",
                _ => throw new FilterException(opPath, $"'{op.Name}' is not an operator of this field"),
            });
        }

        return clauses.Count == 0 ? null : SqlWhere.Join(clauses, any);
    }

    /// <summary>Reads an <c>operator</c> value: true for <c>or_</c>, false for <c>and_</c>.</summary>
    internal static bool Combine(JsonElement value, string[] path) => value.ValueKind == JsonValueKind.String
        ? value.GetString() switch
        {
            "and_" => false,
            "or_" => true,
            _ => throw new FilterException(path, "must be 'and_' or 'or_'"),
        }
        : throw new FilterException(path, "must be 'and_' or 'or_'");

    private string In(string column, List<object> values) =>
        values.Count == 0 ? "1=0" : $"{column} IN ({string.Join(", ", values.Select(Where.Param))})";

    private string NotIn(string column, List<object> values) =>
        values.Count == 0 ? "1=1" : $"{column} NOT IN ({string.Join(", ", values.Select(Where.Param))})";

    private string Like(FilterField field, string pattern) => (Where.Dialect, field.IndexedTextTable) switch
    {
        (SqlDialect.Postgres, _) => $"{field.Column} ILIKE {Where.Param(pattern)}",
        (_, { } table) when collectText => $"{table}.rowid IN (SELECT indexed.rowid FROM {table} AS indexed WHERE indexed.{field.Column} LIKE {Where.Param(pattern)})",
        _ => $"{field.Column} LIKE {Where.Param(pattern)}",
    };

    // On SQLite with a tag table, "has every tag" is one indexed lookup per tag, "has any" one lookup for all of them.
    private string TagsAll(FilterField field, List<string> tags) => (Where.Dialect, field.TagTable) switch
    {
        (SqlDialect.Postgres, _) => $"{field.Column} @> {Where.TagsParam(tags)}",
        (_, { } table) => tags.Count == 0
            ? "1=1"
            : SqlWhere.Join([.. tags.Distinct(StringComparer.Ordinal).Select(tag => probe
                ? $"EXISTS (SELECT 1 FROM {table} AS tagged WHERE tagged.tag = {Where.Param(tag)} AND tagged.{field.TagKey} = id)"
                : $"id IN (SELECT {field.TagKey} FROM {table} WHERE tag = {Where.Param(tag)})")]),
        _ => $"NOT EXISTS (SELECT 1 FROM json_each({Where.TagsParam(tags)}) AS wanted WHERE wanted.value NOT IN (SELECT value FROM json_each({field.Column})))",
    };

    private string TagsAny(FilterField field, List<string> tags) => (Where.Dialect, field.TagTable) switch
    {
        (SqlDialect.Postgres, _) => $"{field.Column} && {Where.TagsParam(tags)}",
        (_, { } table) => tags.Count == 0
            ? "1=0"
            : probe
                ? $"EXISTS (SELECT 1 FROM {table} AS tagged WHERE tagged.tag IN ({string.Join(", ", tags.Select(Where.Param))}) AND tagged.{field.TagKey} = id)"
                : $"id IN (SELECT {field.TagKey} FROM {table} WHERE tag IN ({string.Join(", ", tags.Select(Where.Param))}))",
        _ => $"EXISTS (SELECT 1 FROM json_each({field.Column}) AS has WHERE has.value IN (SELECT value FROM json_each({Where.TagsParam(tags)})))",
    };

    private string TagsEmpty(string column, bool empty) => Where.Dialect == SqlDialect.Postgres
        ? (empty ? $"cardinality({column}) = 0" : $"cardinality({column}) > 0")
        : (empty ? $"{column} = '[]'" : $"{column} <> '[]'");

    private static List<object> Values(FieldKind kind, JsonElement list, string[] path)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new FilterException(path, "must be a list");
        }

        if (list.GetArrayLength() > MaxListItems)
        {
            throw new FilterException(path, string.Create(CultureInfo.InvariantCulture, $"can list at most {MaxListItems} values"));
        }

        var values = new List<object>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            string[] itemPath = [.. path, (i++).ToString(CultureInfo.InvariantCulture)];
            values.Add(kind switch
            {
                FieldKind.Id => item.ValueKind == JsonValueKind.String && Guid.TryParse(item.GetString(), out var id)
                    ? id
                    : throw new FilterException(itemPath, "value is not a valid uuid"),
                FieldKind.Time => Time(item, itemPath),
                FieldKind.Number => Number(item, itemPath),
                FieldKind.StateType => StateTypeNames.Contains(Text(item, itemPath))
                    ? Text(item, itemPath)
                    : throw new FilterException(itemPath, "value is not a valid enumeration member; permitted: " + string.Join(", ", StateTypeNames.Select(n => $"'{n}'"))),
                _ => Text(item, itemPath),
            });
        }

        return values;
    }

    private static List<string> Strings(JsonElement list, string[] path) => list.ValueKind != JsonValueKind.Array
        ? throw new FilterException(path, "must be a list of strings")
        : list.GetArrayLength() > MaxTags
            ? throw new FilterException(path, string.Create(CultureInfo.InvariantCulture, $"can list at most {MaxTags} tags"))
            : [.. list.EnumerateArray().Select((e, i) => Text(e, [.. path, i.ToString(CultureInfo.InvariantCulture)]))];

    private static string Pattern(JsonElement value, string[] path) =>
        Text(value, path) is { Length: > MaxPatternLength }
            ? throw new FilterException(path, string.Create(CultureInfo.InvariantCulture, $"must be at most {MaxPatternLength} characters"))
            : value.GetString()!;

    private static string Text(JsonElement value, string[] path) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new FilterException(path, "must be a string");

    internal static bool Bool(JsonElement value, string[] path) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new FilterException(path, "must be a boolean"),
    };

    private static double Number(JsonElement value, string[] path) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw new FilterException(path, "must be a number");

    private static DateTimeOffset Time(JsonElement value, string[] path) =>
        value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new FilterException(path, "must be a date-time");
}
