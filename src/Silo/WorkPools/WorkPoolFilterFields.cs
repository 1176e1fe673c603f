using OrleansFlow.Silo.Queries;

namespace OrleansFlow.Silo.WorkPools;

/// <summary>The filterable fields of work pools, queues and workers, named as in Prefect's filter schemas.</summary>
internal static class WorkPoolFilterFields
{
    public static IReadOnlyDictionary<string, FilterField> WorkPools { get; } = new Dictionary<string, FilterField>
    {
        ["id"] = FilterField.Of("id", FieldKind.Id),
        ["name"] = FilterField.Of("name", FieldKind.Text),
        ["type"] = FilterField.Of("type", FieldKind.Text),
    };

    public static IReadOnlyDictionary<string, FilterField> WorkQueues { get; } = new Dictionary<string, FilterField>
    {
        ["id"] = FilterField.Of("id", FieldKind.Id),
        ["name"] = FilterField.Of("name", FieldKind.Text),
    };

    public static IReadOnlyDictionary<string, FilterField> Workers { get; } = new Dictionary<string, FilterField>
    {
        ["last_heartbeat_time"] = FilterField.Of("last_heartbeat_time", FieldKind.Time),
    };
}
