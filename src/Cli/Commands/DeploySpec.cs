using System.Text.Json.Nodes;

namespace OrleansFlow.Cli.Commands;

/// <summary>One deployment of an <c>orleansflow.yaml</c> file, as read by <see cref="DeployFile"/>: the API's fields, and
/// where in the file each came from (for errors the server reports about a field).</summary>
internal sealed class DeploySpec
{
    /// <summary>Where the entry is in the file: <c>deployments[0]</c>.</summary>
    public required string Path { get; init; }

    /// <summary>The line of the entry (1-based).</summary>
    public required int Line { get; init; }

    /// <summary>The line of each field given, by YAML key (<c>schedule</c>, <c>work_pool</c>...).</summary>
    public Dictionary<string, int> FieldLines { get; } = new(StringComparer.Ordinal);

    public required string Name { get; init; }

    public required string Flow { get; init; }

    public string? Entrypoint { get; init; }

    public string? Description { get; init; }

    public string? Version { get; init; }

    public bool Paused { get; init; }

    public List<string> Tags { get; init; } = [];

    public JsonObject Parameters { get; init; } = [];

    /// <summary>The schedule as the API takes it, or null.</summary>
    public JsonObject? Schedule { get; init; }

    public string? WorkPool { get; init; }

    public string? WorkQueue { get; init; }

    /// <summary>The job variables (<c>infra_overrides</c>), with <c>command</c> when the entry gives one.</summary>
    public JsonObject JobVariables { get; init; } = [];

    /// <summary>The deployment's full name, <c>flow/name</c>.</summary>
    public string FullName => $"{Flow}/{Name}";

    /// <summary>The line of the YAML field an API error location names (e.g. <c>schedule</c>), else the entry's line.</summary>
    public int LineOf(string? apiField) => apiField switch
    {
        null => Line,
        "work_pool_name" or "work_queue_name" or "infra_overrides" => FieldLines.GetValueOrDefault("work_pool", Line),
        "is_schedule_active" => FieldLines.GetValueOrDefault("paused", Line),
        "flow_id" => FieldLines.GetValueOrDefault("flow", Line),
        _ => FieldLines.GetValueOrDefault(apiField, Line),
    };
}
