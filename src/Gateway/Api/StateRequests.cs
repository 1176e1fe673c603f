using System.Text.Json;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Gateway.Api;

/// <summary>A state in a request body (Prefect's <c>StateCreate</c>).</summary>
public sealed class StateCreateRequest
{
    /// <summary>The state's type (required).</summary>
    public StateType? Type { get; init; }

    /// <summary>The state's name; defaults to the type's name.</summary>
    public string? Name { get; init; }

    /// <summary>A message.</summary>
    public string? Message { get; init; }

    /// <summary>The state's data (result reference).</summary>
    public JsonElement? Data { get; init; }

    /// <summary>The state's details.</summary>
    public StateDetails? StateDetails { get; init; }

    /// <summary>Checks the request and turns it into a proposal.</summary>
    /// <exception cref="ApiValidationException">A field is missing or wrong; <paramref name="field"/> prefixes its path.</exception>
    public ProposedState ToProposal(string field) => new()
    {
        Type = Check.Required(Type, $"{field}.type"),
        Name = Name is { Length: > 5000 } ? throw ApiValidationException.Field($"{field}.name", "must be at most 5000 characters") : Name,
        Message = Message,
        Data = Data is { ValueKind: JsonValueKind.Null } ? null : Data,
        StateDetails = StateDetails ?? Grains.States.StateDetails.Empty,
    };
}

/// <summary>Body of <c>POST /api/flow_runs/{id}/set_state</c> and <c>/api/task_runs/{id}/set_state</c>.</summary>
public sealed class SetStateRequest
{
    /// <summary>The proposed state (required).</summary>
    public StateCreateRequest? State { get; init; }

    /// <summary>True to skip the orchestration rules.</summary>
    public bool Force { get; init; }
}
