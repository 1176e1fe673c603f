using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFlow.Client;

/// <summary>A work pool as the server answers it.</summary>
public sealed record WorkPool
{
    /// <summary>The pool's id.</summary>
    public Guid Id { get; init; }

    /// <summary>The pool's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Its worker type.</summary>
    public string? Type { get; init; }

    /// <summary>The job template the pool's workers render for each run (<c>job_configuration</c> and <c>variables</c>).</summary>
    public JsonElement? BaseJobTemplate { get; init; }

    /// <summary>Other fields the server sent.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
