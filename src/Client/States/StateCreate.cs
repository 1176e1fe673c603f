using System.Text.Json;

namespace OrleansFlow.Client;

/// <summary>A state proposed for a run (Prefect's <c>StateCreate</c>), alone or inside a create body.</summary>
/// <param name="Type">The proposed type.</param>
/// <param name="Name">The proposed name; Prefect's default for the type when in doubt (<c>Running</c>).</param>
/// <param name="Message">A message shown with the state.</param>
/// <param name="Data">The result reference or value (e.g. a persisted result's address).</param>
public sealed record StateCreate(StateType Type, string Name, string? Message = null, JsonElement? Data = null)
{
    /// <summary>The proposal's details (cache key, refresh flag, ...); empty by default.</summary>
    public StateDetails StateDetails { get; init; } = StateDetails.Empty;
}
