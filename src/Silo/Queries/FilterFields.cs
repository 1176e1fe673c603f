namespace OrleansFlow.Silo.Queries;

/// <summary>The filterable fields of each entity, named as in Prefect's filter schemas.</summary>
internal static class FilterFields
{
    private static readonly Dictionary<string, FilterField> StateFields = new()
    {
        ["type"] = FilterField.Of("state_type", FieldKind.StateType),
        ["name"] = FilterField.Of("state_name", FieldKind.Text),
    };

    // parent_flow_run_id.any_ matches subflows whose parent task run belongs to one of the listed flow runs.
    private static readonly Dictionary<string, FilterField> ParentFlowRunIds = new()
    {
        ["any_"] = new FilterField(null, FieldKind.Id)
        {
            Custom = (translator, value, path) => translator.Entity(
                System.Text.Json.JsonDocument.Parse($"{{\"flow_run_id\": {{\"any_\": {value.GetRawText()}}}}}").RootElement,
                new Dictionary<string, FilterField> { ["flow_run_id"] = FilterField.Of("flow_run_id", FieldKind.Id) },
                [.. path.Take(path.Count - 1)]),
        },
    };

    public static IReadOnlyDictionary<string, FilterField> Flows { get; } = new Dictionary<string, FilterField>
    {
        ["id"] = FilterField.Of("id", FieldKind.Id),
        ["name"] = FilterField.Of("name", FieldKind.Text),
        ["tags"] = FilterField.Of("tags", FieldKind.Tags),
        ["deployment"] = new FilterField(null, FieldKind.Bool)
        {
            // Prefect 2.11+: is_null_ true keeps the flows without a deployment, false those with one.
            Custom = (_, value, path) => Operators(value, path, "is_null_").TryGetValue("is_null_", out var isNull)
                ? (FilterTranslator.Bool(isNull, [.. path, "is_null_"]) ? "id NOT IN" : "id IN") + " (SELECT flow_id FROM deployments)"
                : null,
        },
    };

    public static IReadOnlyDictionary<string, FilterField> FlowRuns { get; } = new Dictionary<string, FilterField>
    {
        ["id"] = FilterField.Of("id", FieldKind.Id),
        ["name"] = FilterField.Of("name", FieldKind.Text) with { IndexedTextTable = "flow_runs" },
        ["tags"] = FilterField.Of("tags", FieldKind.Tags) with { TagTable = "flow_run_tags", TagKey = "flow_run_id" },
        ["deployment_id"] = FilterField.Of("deployment_id", FieldKind.Id),
        ["work_queue_name"] = FilterField.Of("work_queue_name", FieldKind.Text),
        ["work_queue_id"] = FilterField.Of("work_queue_id", FieldKind.Id),
        ["flow_version"] = FilterField.Of("flow_version", FieldKind.Text),
        ["state"] = FilterField.Group(StateFields),
        ["start_time"] = FilterField.Of("start_time", FieldKind.Time),
        ["end_time"] = FilterField.Of("end_time", FieldKind.Time),
        ["expected_start_time"] = FilterField.Of("expected_start_time", FieldKind.Time),
        ["next_scheduled_start_time"] = FilterField.Of("next_scheduled_start_time", FieldKind.Time),
        ["parent_task_run_id"] = FilterField.Of("parent_task_run_id", FieldKind.Id),
        ["idempotency_key"] = FilterField.Of("idempotency_key", FieldKind.Text),
        ["parent_flow_run_id"] = new FilterField(null, FieldKind.Id)
        {
            // Subflows of a flow run: their parent task run belongs to that flow run.
            Custom = (translator, value, path) => translator.Entity(value, ParentFlowRunIds, path) is { } inner
                ? $"parent_task_run_id IN (SELECT id FROM task_runs WHERE {inner})"
                : null,
        },
    };

    public static IReadOnlyDictionary<string, FilterField> TaskRuns { get; } = new Dictionary<string, FilterField>
    {
        ["id"] = FilterField.Of("id", FieldKind.Id),
        ["name"] = FilterField.Of("name", FieldKind.Text),
        ["tags"] = FilterField.Of("tags", FieldKind.Tags),
        ["state"] = FilterField.Group(StateFields),
        ["start_time"] = FilterField.Of("start_time", FieldKind.Time),
        ["end_time"] = FilterField.Of("end_time", FieldKind.Time),
        ["expected_start_time"] = FilterField.Of("expected_start_time", FieldKind.Time),
        ["flow_run_id"] = new FilterField(null, FieldKind.Id)
        {
            // Prefect sends is_null_ false by default, which does not filter; true keeps only runs outside any flow run.
            Custom = (translator, value, path) =>
            {
                var ops = Operators(value, path, "any_", "is_null_");
                if (ops.TryGetValue("is_null_", out var isNull) && FilterTranslator.Bool(isNull, [.. path, "is_null_"]))
                {
                    return "flow_run_id IS NULL";
                }

                return ops.TryGetValue("any_", out var ids)
                    ? translator.Entity(
                        System.Text.Json.JsonDocument.Parse($"{{\"flow_run_id\": {{\"any_\": {ids.GetRawText()}}}}}").RootElement,
                        new Dictionary<string, FilterField> { ["flow_run_id"] = FilterField.Of("flow_run_id", FieldKind.Id) },
                        [.. path.Take(path.Count - 1)])
                    : null;
            },
        },
        ["task_key"] = FilterField.Of("task_key", FieldKind.Text),
        ["cache_key"] = FilterField.Of("cache_key", FieldKind.Text),
        ["subflow_runs"] = new FilterField(null, FieldKind.Bool)
        {
            Custom = (_, value, path) => Operators(value, path, "exists_").TryGetValue("exists_", out var exists) && exists.ValueKind != System.Text.Json.JsonValueKind.Null
                ? (FilterTranslator.Bool(exists, [.. path, "exists_"]) ? "" : "NOT ") + "EXISTS (SELECT 1 FROM flow_runs AS sub WHERE sub.parent_task_run_id = task_runs.id)"
                : null,
        },
    };

    /// <summary>The non-null operators of a custom field's object, refusing any but <paramref name="allowed"/> and
    /// <c>operator</c> (which a single criterion makes moot).</summary>
    internal static Dictionary<string, System.Text.Json.JsonElement> Operators(System.Text.Json.JsonElement value, IReadOnlyList<string> path, params string[] allowed)
    {
        if (value.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            throw new FilterException(path, "must be an object of operators");
        }

        var found = new Dictionary<string, System.Text.Json.JsonElement>();
        foreach (var op in value.EnumerateObject())
        {
            string[] opPath = [.. path, op.Name];
            if (op.Name == "operator")
            {
                if (op.Value.ValueKind != System.Text.Json.JsonValueKind.Null)
                {
                    FilterTranslator.Combine(op.Value, opPath);
                }
            }
            else if (!allowed.Contains(op.Name))
            {
                throw new FilterException(opPath, $"'{op.Name}' is not an operator of this field");
            }
            else if (op.Value.ValueKind != System.Text.Json.JsonValueKind.Null)
            {
                found[op.Name] = op.Value;
            }
        }

        return found;
    }
}
