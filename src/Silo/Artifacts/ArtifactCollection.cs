using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFlow.Silo.Artifacts;

/// <summary>The latest artifact of a key (Prefect's artifact collection): one row per key, pointing at the newest
/// artifact with that key and carrying a copy of its fields.</summary>
public sealed record ArtifactCollection
{
    /// <summary>The collection's id (stable for the key).</summary>
    public required Guid Id { get; init; }

    /// <summary>When the key's first artifact was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When the latest artifact changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The key.</summary>
    public required string Key { get; init; }

    /// <summary>The id of the newest artifact with the key.</summary>
    public required Guid LatestId { get; init; }

    /// <summary>The latest artifact's type.</summary>
    public string? Type { get; init; }

    /// <summary>The latest artifact's description.</summary>
    public string? Description { get; init; }

    /// <summary>The latest artifact's data.</summary>
    public JsonElement? Data { get; init; }

    /// <summary>The latest artifact's metadata.</summary>
    [JsonPropertyName("metadata_")]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>The latest artifact's flow run.</summary>
    public Guid? FlowRunId { get; init; }

    /// <summary>The latest artifact's task run.</summary>
    public Guid? TaskRunId { get; init; }
}
