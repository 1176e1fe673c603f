using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFlow.Gateway.Artifacts;

/// <summary>Body of <c>POST /api/artifacts/</c>.</summary>
public sealed class ArtifactCreateRequest
{
    /// <summary>An optional key (lowercase letters, numbers and dashes).</summary>
    public string? Key { get; init; }

    /// <summary>The shape of the data, e.g. <c>table</c> or <c>markdown</c>.</summary>
    public string? Type { get; init; }

    /// <summary>A markdown description.</summary>
    public string? Description { get; init; }

    /// <summary>The content, any JSON value.</summary>
    public JsonElement? Data { get; init; }

    /// <summary>String metadata.</summary>
    [JsonPropertyName("metadata_")]
    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>The flow run that created it.</summary>
    public Guid? FlowRunId { get; init; }

    /// <summary>The task run that created it.</summary>
    public Guid? TaskRunId { get; init; }
}
