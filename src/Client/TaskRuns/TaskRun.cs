using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFlow.Client;

/// <summary>A task run as the server answers it (the fields OrleansFlow's tools read; the rest is in <see cref="Extra"/>).</summary>
public sealed record TaskRun
{
    /// <summary>The run's id.</summary>
    public Guid Id { get; init; }

    /// <summary>The run's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The flow run.</summary>
    public Guid? FlowRunId { get; init; }

    /// <summary>The current state's type.</summary>
    public StateType? StateType { get; init; }

    /// <summary>The current state.</summary>
    public State? State { get; init; }

    /// <summary>Other fields the server sent.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
