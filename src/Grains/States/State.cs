using System.Text.Json;

namespace OrleansFlow.Grains.States;

/// <summary>One state of a flow run or task run, as recorded by the server.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.State")]
public sealed record State
{
    /// <summary>The state's id (a new id for every recorded state).</summary>
    public Guid Id { get; init; }

    /// <summary>The state's type.</summary>
    public required StateType Type { get; init; }

    /// <summary>The state's name (e.g. <c>AwaitingRetry</c> for a SCHEDULED state); defaults to the type's name.</summary>
    public required string Name { get; init; }

    /// <summary>When the state was entered.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>A human-readable message (e.g. the exception of a failure).</summary>
    public string? Message { get; init; }

    /// <summary>The state's data (a result reference), kept as the client sent it.</summary>
    public JsonElement? Data { get; init; }

    /// <summary>The state's details.</summary>
    public StateDetails StateDetails { get; init; } = StateDetails.Empty;

    /// <summary>True when the state is terminal.</summary>
    public bool IsTerminal() => Type.IsTerminal();

    /// <summary>True when this is a SCHEDULED or PENDING state that has not started yet.</summary>
    public bool IsScheduled() => Type == StateType.Scheduled;
}
