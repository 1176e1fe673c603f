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

    public static FilterField Of(string column, FieldKind kind) => new(column, kind);

    public static FilterField Group(IReadOnlyDictionary<string, FilterField> nested) => new(null, FieldKind.Text) { Nested = nested };
}
