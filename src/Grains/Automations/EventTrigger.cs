using System.Collections.Immutable;
using OrleansFlow.Grains.Events;

namespace OrleansFlow.Grains.Automations;

/// <summary>Prefect 3's event trigger: fires on the presence (<see cref="Posture.Reactive"/>) or the absence
/// (<see cref="Posture.Proactive"/>) of events, counted separately for each distinct value of the <see cref="ForEach"/>
/// labels.</summary>
public sealed record EventTrigger : AutomationTrigger
{
    /// <inheritdoc/>
    public override string Type => "event";

    /// <summary>Labels the event's primary resource must match (empty: any resource).</summary>
    public ResourceSpecification Match { get; init; } = ResourceSpecification.Any;

    /// <summary>Specifications each of which some related resource of the event must match (empty: no condition).</summary>
    public ImmutableArray<ResourceSpecification> MatchRelated { get; init; } = [];

    /// <summary>Event names (trailing <c>*</c> wildcards allowed) that must be seen first to open a window; empty: the
    /// window opens on the first expected event (or, for a proactive trigger without <see cref="ForEach"/>, at once).</summary>
    public ImmutableArray<string> After { get; init; } = [];

    /// <summary>Event names (trailing <c>*</c> wildcards allowed) that are counted; empty: every event.</summary>
    public ImmutableArray<string> Expect { get; init; } = [];

    /// <summary>Labels whose values split the counting into buckets: a label of the primary resource, or
    /// <c>related:&lt;role&gt;:&lt;label&gt;</c> for the first related resource in that role.</summary>
    public ImmutableArray<string> ForEach { get; init; } = [];

    /// <summary>Reactive or proactive.</summary>
    public required Posture Posture { get; init; }

    /// <summary>How many events fire a reactive trigger, or are expected by a proactive one (at least 1; default 1).</summary>
    public int Threshold { get; init; } = 1;

    /// <summary>The window the events must arrive in (at least zero; a proactive trigger's is at least 10 s, 10 s when 0 is
    /// given).</summary>
    public TimeSpan Within { get; init; }

    /// <summary>A reactive trigger with a zero window: every matching event counts on its own.</summary>
    public bool Immediate => Posture == Posture.Reactive && Within == TimeSpan.Zero;

    /// <inheritdoc/>
    public override IEnumerable<AutomationTrigger> All() => [this];

    /// <summary>Whether <paramref name="eventName"/> opens a window (it matches one of <see cref="After"/>).</summary>
    public bool StartsAfter(string eventName) => !After.IsDefaultOrEmpty && After.Any(a => ResourceSpecification.Matches(a, eventName));

    /// <summary>Whether <paramref name="eventName"/> is counted (it matches one of <see cref="Expect"/>, or that is empty).</summary>
    public bool Expects(string eventName) => Expect.IsDefaultOrEmpty || Expect.Any(e => ResourceSpecification.Matches(e, eventName));

    /// <summary>Whether the trigger is interested in <paramref name="event"/> at all: its name is expected or opens a window,
    /// and its resources match <see cref="Match"/> and <see cref="MatchRelated"/>.</summary>
    public bool Covers(Event @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var named = Expect.IsDefaultOrEmpty || Expects(@event.Name) || StartsAfter(@event.Name);
        return named && Match.Matches(@event.Resource)
            && (MatchRelated.IsDefaultOrEmpty || MatchRelated.All(spec => spec.IsEmpty || @event.Related.Any(spec.Matches)));
    }

    /// <summary>The values of the sorted <see cref="ForEach"/> labels on <paramref name="event"/> ("" for a missing one).</summary>
    public ImmutableArray<string> BucketingKey(Event @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return [.. ForEach.IsDefaultOrEmpty ? [] : ForEach.Order(StringComparer.Ordinal).Select(label => FindLabel(@event, label) ?? "")];
    }

    /// <summary>A label of the event's primary resource, or with <c>related:&lt;role&gt;:&lt;label&gt;</c> of its first
    /// related resource in that role.</summary>
    public static string? FindLabel(Event @event, string label)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(label);
        if (label.StartsWith("related:", StringComparison.Ordinal))
        {
            var rest = label["related:".Length..];
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                var role = rest[..colon];
                return @event.Related.FirstOrDefault(r => r.Role == role)?[rest[(colon + 1)..]];
            }
        }

        return @event.Resource[label];
    }
}
