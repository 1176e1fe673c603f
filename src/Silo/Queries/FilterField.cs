namespace OrleansFlow.Silo.Queries;

/// <summary>How a filterable field is stored, which decides the operators it takes.</summary>
internal enum FieldKind
{
    Id,
    Text,
    StateType,
    Time,
    Tags,
    Number,
    Bool,
}

/// <summary>A filterable field: a column and its kind, or a nested group of fields (e.g. <c>state.type</c>), or a
/// custom translation for fields that need a subquery.</summary>
internal sealed record FilterField(string? Column, FieldKind Kind)
{
    public IReadOnlyDictionary<string, FilterField>? Nested { get; init; }

    public Func<FilterTranslator, System.Text.Json.JsonElement, IReadOnlyList<string>, string?>? Custom { get; init; }

    /// <summary>SQLite: a tags field whose tags are also kept one row per (tag, row) in this table (e.g. flow_run_tags,
    /// columns <c>tag</c> and <see cref="TagKey"/>), so tag filters read its index instead of every row's JSON array.</summary>
    public string? TagTable { get; init; }

    /// <summary>The column of <see cref="TagTable"/> holding the row's id.</summary>
    public string? TagKey { get; init; }

    /// <summary>SQLite: a text field of this table with an index of its own; <c>like_</c> and <c>startswith_</c> scan that
    /// (narrow) index and fetch the matching rows by rowid, instead of reading every row to test the pattern.</summary>
    public string? IndexedTextTable { get; init; }

    public static FilterField Of(string column, FieldKind kind) => new(column, kind);

    public static FilterField Group(IReadOnlyDictionary<string, FilterField> nested) => new(null, FieldKind.Text) { Nested = nested };
}
