using System.Collections.Immutable;
using OrleansFlow.Grains.Events;

namespace OrleansFlow.Grains.Automations;

/// <summary>A firing of a child of a composite trigger, waiting for its siblings.</summary>
public sealed record ChildFiring
{
    /// <summary>The child trigger that fired.</summary>
    public required Guid TriggerId { get; init; }

    /// <summary>When it fired.</summary>
    public required DateTimeOffset Triggered { get; init; }

    /// <summary>The event that made it fire (the last one seen, for a proactive child).</summary>
    public Event? TriggeringEvent { get; init; }

    /// <summary>The ids of the events behind it.</summary>
    public ImmutableArray<Guid> EventIds { get; init; } = [];
}
