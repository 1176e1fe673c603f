using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Silo.Queries;

/// <summary>The filterable fields of blocks, variables, artifacts and logs, named as in Prefect's filter schemas.</summary>
internal static class ResourceFilterFields
{
    public static IReadOnlyDictionary<string, FilterField> BlockTypes { get; } = new Dictionary<string, FilterField>
    {
        ["name"] = FilterField.Of("name", FieldKind.Text),
        ["slug"] = FilterField.Of("slug", FieldKind.Text),
    };

    public static IReadOnlyDictionary<string, FilterField> BlockSchemas { get; } = new Dictionary<string, FilterField>
    {
        ["id"] = FilterField.Of("id", FieldKind.Id),
        ["block_type_id"] = FilterField.Of("block_type_id", FieldKind.Id),
        ["block_capabilities"] = FilterField.Of("capabilities", FieldKind.Tags),
        ["version"] = FilterField.Of("version", FieldKind.Text),
    };

    public static IReadOnlyDictionary<string, FilterField> BlockDocuments { get; } = new Dictionary<string, FilterField>
    {
        ["id"] = FilterField.Of("id", FieldKind.Id),
        ["is_anonymous"] = FilterField.Of("is_anonymous", FieldKind.Bool),
        ["block_type_id"] = FilterField.Of("block_type_id", FieldKind.Id),
        ["name"] = FilterField.Of("name", FieldKind.Text),
    };

    public static IReadOnlyDictionary<string, FilterField> Variables { get; } = new Dictionary<string, FilterField>
    {
        ["id"] = FilterField.Of("id", FieldKind.Id),
        ["name"] = FilterField.Of("name", FieldKind.Text),
        ["value"] = FilterField.Of("value", FieldKind.Text),
        ["tags"] = FilterField.Of("tags", FieldKind.Tags),
    };

    public static IReadOnlyDictionary<string, FilterField> Artifacts { get; } = new Dictionary<string, FilterField>
    {
        ["id"] = FilterField.Of("id", FieldKind.Id),
        ["key"] = KeyWithExists(),
        ["flow_run_id"] = FilterField.Of("flow_run_id", FieldKind.Id),
        ["task_run_id"] = FilterField.Of("task_run_id", FieldKind.Id),
        ["type"] = FilterField.Of("type", FieldKind.Text),
    };

    public static IReadOnlyDictionary<string, FilterField> ArtifactCollections { get; } = new Dictionary<string, FilterField>
    {
        ["latest_id"] = FilterField.Of("latest_id", FieldKind.Id),
        ["key"] = KeyWithExists(),
        ["flow_run_id"] = FilterField.Of("flow_run_id", FieldKind.Id),
        ["task_run_id"] = FilterField.Of("task_run_id", FieldKind.Id),
        ["type"] = FilterField.Of("type", FieldKind.Text),
    };

    public static IReadOnlyDictionary<string, FilterField> Logs { get; } = new Dictionary<string, FilterField>
    {
        ["level"] = FilterField.Of("level", FieldKind.Number),
        ["timestamp"] = FilterField.Of("timestamp", FieldKind.Time),
        ["flow_run_id"] = FilterField.Of("flow_run_id", FieldKind.Id),
        ["task_run_id"] = FilterField.Of("task_run_id", FieldKind.Id),
    };

    /// <summary>An artifact key: the text operators plus <c>exists_</c> (true: the key is set; false: it is null).</summary>
    private static FilterField KeyWithExists()
    {
        var plain = new Dictionary<string, FilterField> { ["key"] = FilterField.Of("key", FieldKind.Text) };
        return new FilterField(null, FieldKind.Text)
        {
            Custom = (translator, value, path) =>
            {
                if (value.ValueKind != JsonValueKind.Object)
                {
                    throw new FilterException(path, "must be an object of operators");
                }

                var clauses = new List<string>();
                var rest = new JsonObject();
                foreach (var op in value.EnumerateObject())
                {
                    if (op.Name != "exists_")
                    {
                        rest[op.Name] = JsonNode.Parse(op.Value.GetRawText());
                    }
                    else if (op.Value.ValueKind != JsonValueKind.Null)
                    {
                        clauses.Add(FilterTranslator.Bool(op.Value, [.. path, "exists_"]) ? "key IS NOT NULL" : "key IS NULL");
                    }
                }

                using var wrapped = JsonDocument.Parse(new JsonObject { ["key"] = rest }.ToJsonString());
                if (translator.Entity(wrapped.RootElement, plain, [.. path.Take(path.Count - 1)]) is { } other)
                {
                    clauses.Add(other);
                }

                return clauses.Count == 0 ? null : SqlWhere.Join(clauses);
            },
        };
    }
}
