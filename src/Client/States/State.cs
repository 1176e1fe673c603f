using System.Text.Json;

namespace OrleansFlow.Client;

/// <summary>A state the server recorded for a run (Prefect's <c>State</c>).</summary>
public sealed record State
{
    /// <summary>The state's id.</summary>
    public Guid Id { get; init; }

    /// <summary>The state's type.</summary>
    public required StateType Type { get; init; }

    /// <summary>The state's name (<c>Completed</c>, <c>Cached</c>, <c>AwaitingRetry</c>, ...).</summary>
    public required string Name { get; init; }

    /// <summary>When the server recorded it.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>A human-readable message.</summary>
    public string? Message { get; init; }

    /// <summary>The result reference or value the state carries.</summary>
    public JsonElement? Data { get; init; }

    /// <summary>The state's details.</summary>
    public StateDetails StateDetails { get; init; } = StateDetails.Empty;
}
