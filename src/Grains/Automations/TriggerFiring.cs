using System.Collections.Immutable;
using OrleansFlow.Grains.Events;

namespace OrleansFlow.Grains.Automations;

/// <summary>The automation's trigger fired (Prefect's <c>Firing</c> of the top trigger).</summary>
public sealed record TriggerFiring
{
    /// <summary>The top trigger of the automation.</summary>
    public required Guid TriggerId { get; init; }

    /// <summary>When it fired (the evaluation's <c>now</c>).</summary>
    public required DateTimeOffset Triggered { get; init; }

    /// <summary>The <c>for_each</c> labels and their values of the bucket that fired (empty for a composite).</summary>
    public ImmutableSortedDictionary<string, string> TriggeringLabels { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>The bucket's key text ("" without <c>for_each</c>; see <see cref="TriggerRules.KeyText"/>).</summary>
    public string BucketKey { get; init; } = "";

    /// <summary>The event that made it fire: the last counted one for a reactive trigger, the last one seen (e.g. the
    /// <c>after</c> event) for a proactive one; null when none was.</summary>
    public Event? TriggeringEvent { get; init; }

    /// <summary>The ids of the events behind the firing.</summary>
    public ImmutableArray<Guid> EventIds { get; init; } = [];
}
