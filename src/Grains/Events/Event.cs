using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFlow.Grains.Events;

/// <summary>Something that happened, in Prefect 3's shape: a name such as <c>prefect.flow-run.Failed</c>, the resource it
/// happened to, related resources (its flow, deployment, work pool, tags…) and a payload. The server emits one for every
/// state change of a flow run or task run, deployment and work-pool status change and worker heartbeat; clients send their
/// own with <c>POST /api/events</c>.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.Event")]
public sealed record Event
{
    /// <summary>The event's id; a client that sends an event twice sends it with the same id, and it is stored once.</summary>
    public Guid Id { get; init; }

    /// <summary>When it happened, by the clock of whoever emitted it.</summary>
    public DateTimeOffset Occurred { get; init; }

    /// <summary>The event's name (JSON <c>event</c>), dotted, e.g. <c>prefect.flow-run.Completed</c>.</summary>
    [JsonPropertyName("event")]
    public required string Name { get; init; }

    /// <summary>The resource it happened to.</summary>
    public required Resource Resource { get; init; }

    /// <summary>Related resources, each with a role.</summary>
    public IReadOnlyList<Resource> Related { get; init; } = [];

    /// <summary>Free-form details (for a state change: the validated and the initial state, …).</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>The id of an event this one follows, when the emitter knows the order matters (a state change's previous
    /// state's event).</summary>
    public Guid? Follows { get; init; }

    /// <summary>When the server received it; set by the server.</summary>
    public DateTimeOffset Received { get; init; }

    /// <summary>The related resources with the given role.</summary>
    public IEnumerable<Resource> RelatedInRole(string role) => Related.Where(r => r.Role == role);
}
