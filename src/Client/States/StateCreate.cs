using System.Text.Json;

namespace OrleansFlow.Client;

/// <summary>A state proposed for a run (Prefect's <c>StateCreate</c>), alone or inside a create body. The server binds
/// the same record, so a body without <c>type</c> is refused with a 422 naming <c>state.type</c>.</summary>
/// <param name="Type">The proposed type (required).</param>
/// <param name="Name">The proposed name (at most 5,000 characters); null or empty records the type's default name
/// (<c>Running</c>).</param>
/// <param name="Message">A message shown with the state.</param>
/// <param name="Data">The result reference or value (e.g. a persisted result's address).</param>
public sealed record StateCreate(StateType Type, string? Name = null, string? Message = null, JsonElement? Data = null)
{
    /// <summary>The proposal's details (cache key, refresh flag, ...); empty by default (and when null).</summary>
    public StateDetails? StateDetails { get; init; } = StateDetails.Empty;

    /// <summary>Prefect's <c>id</c> of the proposed state: a client may send one, and the server checks that it is a UUID
    /// (a 422 naming <c>state.id</c> otherwise) and then ignores it, as Prefect does: the server gives each state its
    /// id.</summary>
    public Guid? Id { get; init; }

    /// <summary>Prefect's <c>timestamp</c> of the proposed state: a client may send one, and the server checks that it is a
    /// date-time (a 422 naming <c>state.timestamp</c> otherwise) and then ignores it, as Prefect does: the server
    /// stamps each state with its own clock.</summary>
    public DateTimeOffset? Timestamp { get; init; }
}
