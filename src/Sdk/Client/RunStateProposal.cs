using System.Text.Json;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Client;

/// <summary>A state the SDK proposes for a run (Prefect's <c>StateCreate</c>).</summary>
internal sealed record RunStateProposal(StateType Type, string Name, string? Message = null, JsonElement? Data = null)
{
    /// <summary>The proposal's details (cache key, refresh flag, ...).</summary>
    public StateDetails StateDetails { get; init; } = StateDetails.Empty;
}
