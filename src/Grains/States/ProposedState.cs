using System.Text.Json;

namespace OrleansFlow.Grains.States;

/// <summary>A state a client proposes for a run (Prefect's <c>StateCreate</c>): no id or timestamp yet.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.ProposedState")]
public sealed record ProposedState
{
    /// <summary>The proposed type.</summary>
    public required StateType Type { get; init; }

    /// <summary>The proposed name; null or empty means the type's default name.</summary>
    public string? Name { get; init; }

    /// <summary>A message for the state.</summary>
    public string? Message { get; init; }

    /// <summary>The state's data (result reference).</summary>
    public JsonElement? Data { get; init; }

    /// <summary>Details for the state; the server fills in run ids.</summary>
    public StateDetails StateDetails { get; init; } = StateDetails.Empty;

    /// <summary>The name to record: <see cref="Name"/> or the type's default name.</summary>
    public string EffectiveName => string.IsNullOrEmpty(Name) ? Type.DefaultName() : Name;

    /// <summary>Materializes the proposal into a state with the given id and timestamp.</summary>
    public State ToState(Guid id, DateTimeOffset timestamp) => new()
    {
        Id = id,
        Type = Type,
        Name = EffectiveName,
        Timestamp = timestamp,
        Message = Message,
        Data = Data,
        StateDetails = StateDetails,
    };
}
