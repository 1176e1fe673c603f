using System.Collections.Immutable;
using OrleansFlow.Grains.Events;

namespace OrleansFlow.Grains.Automations;

/// <summary>One counting window of an event trigger for one bucketing key (Prefect's automation bucket). For a trigger
/// with <c>after</c>, the bucket exists only once an <c>after</c> event was seen (that is the gate); for a proactive
/// trigger, <see cref="End"/> is the deadline.</summary>
public sealed record TriggerBucket
{
    /// <summary>The values of the trigger's sorted <c>for_each</c> labels.</summary>
    public ImmutableArray<string> Key { get; init; } = [];

    /// <summary>Events that occurred before this are ignored.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>The end of the window (the proactive deadline).</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>Expected events counted in the window (-1 before the first of a trigger whose <c>after</c> event is also
    /// expected).</summary>
    public int Count { get; init; }

    /// <summary>The last event that opened or was counted in the bucket.</summary>
    public Event? LastEvent { get; init; }

    /// <summary>The ids of the events counted (the last <see cref="TriggerRules.MaxEventIds"/>).</summary>
    public ImmutableArray<Guid> EventIds { get; init; } = [];
}
