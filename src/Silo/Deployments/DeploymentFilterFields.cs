using OrleansFlow.Silo.Queries;

namespace OrleansFlow.Silo.Deployments;

/// <summary>The filterable fields of deployments, named as in Prefect's <c>DeploymentFilter</c>.</summary>
internal static class DeploymentFilterFields
{
    public static IReadOnlyDictionary<string, FilterField> Deployments { get; } = new Dictionary<string, FilterField>
    {
        ["id"] = FilterField.Of("id", FieldKind.Id),
        ["name"] = FilterField.Of("name", FieldKind.Text),
        ["is_schedule_active"] = FilterField.Of("is_schedule_active", FieldKind.Bool),
        ["tags"] = FilterField.Of("tags", FieldKind.Tags),
        ["work_queue_name"] = FilterField.Of("work_queue_name", FieldKind.Text),
        ["paused"] = new FilterField(null, FieldKind.Bool)
        {
            // Prefect 2.19+: a paused deployment is one whose schedule is not active.
            Custom = (translator, value, path) => FilterFields.Operators(value, path, "eq_").TryGetValue("eq_", out var paused)
                ? $"is_schedule_active = {translator.Where.Param(!FilterTranslator.Bool(paused, [.. path, "eq_"]))}"
                : null,
        },
    };
}
