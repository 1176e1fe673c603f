using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFlow.Client;

/// <summary>A deployment as the server answers it.</summary>
public sealed record Deployment
{
    /// <summary>The deployment's id.</summary>
    public Guid Id { get; init; }

    /// <summary>Its name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The flow.</summary>
    public Guid FlowId { get; init; }

    /// <summary>Job variables that override the pool's template.</summary>
    public JsonElement? InfraOverrides { get; init; }

    /// <summary>Other fields the server sent.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
