using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFlow.Silo.Artifacts;

/// <summary>Something a run produced for people to see: a table, a markdown report, a link, a result.</summary>
public sealed record Artifact
{
    /// <summary>The artifact's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>An optional key (lowercase letters, numbers and dashes); the newest artifact of a key is its latest.</summary>
    public string? Key { get; init; }

    /// <summary>The shape of <see cref="Data"/>, e.g. <c>table</c>, <c>markdown</c>, <c>result</c>.</summary>
    public string? Type { get; init; }

    /// <summary>A markdown description.</summary>
    public string? Description { get; init; }

    /// <summary>The content, any JSON value.</summary>
    public JsonElement? Data { get; init; }

    /// <summary>String metadata.</summary>
    [JsonPropertyName("metadata_")]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>The flow run that created it.</summary>
    public Guid? FlowRunId { get; init; }

    /// <summary>The task run that created it.</summary>
    public Guid? TaskRunId { get; init; }
}
