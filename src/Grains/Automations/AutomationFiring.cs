using OrleansFlow.Grains.Events;

namespace OrleansFlow.Grains.Automations;

/// <summary>One firing of an automation, as its history keeps it (<c>GET /api/automations/{id}/firings</c>).</summary>
public sealed record AutomationFiring
{
    /// <summary>The firing's id (the run-deployment idempotency key is made of it and the automation's id).</summary>
    public required Guid Id { get; init; }

    /// <summary>The automation.</summary>
    public required Guid AutomationId { get; init; }

    /// <summary>The automation's top trigger at the time.</summary>
    public required Guid TriggerId { get; init; }

    /// <summary>When the trigger fired.</summary>
    public required DateTimeOffset Fired { get; init; }

    /// <summary>The bucket key that fired ("" without <c>for_each</c>).</summary>
    public string BucketKey { get; init; } = "";

    /// <summary>The <c>for_each</c> labels and values of the bucket.</summary>
    public IReadOnlyDictionary<string, string> TriggeringLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>The event that made it fire, or null (a proactive trigger without any event).</summary>
    public Event? TriggeringEvent { get; init; }

    /// <summary>The ids of the events behind the firing.</summary>
    public IReadOnlyList<Guid> EventIds { get; init; } = [];

    /// <summary><c>pending</c> while actions remain, then <c>completed</c> (every action completed) or <c>failed</c>.</summary>
    public required string Status { get; init; }

    /// <summary>One result per action of the firing, in order.</summary>
    public IReadOnlyList<AutomationActionResult> ActionResults { get; init; } = [];

    /// <summary>When the row last changed.</summary>
    public DateTimeOffset Updated { get; init; }
}
