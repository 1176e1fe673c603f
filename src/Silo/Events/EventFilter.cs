using System.Text.Json.Serialization;
using OrleansFlow.Grains.Events;

namespace OrleansFlow.Silo.Events;

/// <summary>Prefect 3's event filter (<c>POST /api/events/filter</c>, the events WebSocket, automations): every part
/// given must match (AND). It is applied in SQL by <see cref="EventStore.FilterAsync"/> and in memory by
/// <see cref="Includes"/>, with the same meaning.</summary>
public sealed record EventFilter
{
    /// <summary>When the events occurred; Prefect's defaults when missing: since the start of the current UTC day
    /// minus 180 days, until now (see <see cref="WithDefaults"/>).</summary>
    public EventOccurredFilter Occurred { get; init; } = new();

    /// <summary>The event's name.</summary>
    public EventNameFilter? Event { get; init; }

    /// <summary>The event's own resource.</summary>
    public EventResourceFilter? Resource { get; init; }

    /// <summary>Related resources: each filter must match one related resource (a list is ANDed).</summary>
    [JsonConverter(typeof(OneOrManyConverter<EventRelatedFilter>))]
    public IReadOnlyList<EventRelatedFilter>? Related { get; init; }

    /// <summary>Any resource of the event, its own or a related one: each filter must match one (a list is ANDed).</summary>
    [JsonConverter(typeof(OneOrManyConverter<EventAnyResourceFilter>))]
    public IReadOnlyList<EventAnyResourceFilter>? AnyResource { get; init; }

    /// <summary>The events' ids.</summary>
    public EventIdFilter? Id { get; init; }

    /// <summary>The order of the results by occurred time: <see cref="EventOrder.Desc"/> (Prefect's default) or
    /// <see cref="EventOrder.Asc"/>.</summary>
    public EventOrder Order { get; init; } = EventOrder.Desc;

    /// <summary>This filter with the missing times set as Prefect sets them, at <paramref name="now"/>.</summary>
    public EventFilter WithDefaults(DateTimeOffset now) => this with
    {
        Occurred = new EventOccurredFilter
        {
            Since = Occurred.Since ?? new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-180),
            Until = Occurred.Until ?? now,
        },
    };

    /// <summary>True when <paramref name="e"/> matches every part of the filter (a missing time bound does not limit).</summary>
    public bool Includes(Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Occurred.Includes(e)
            && (Event?.Includes(e.Name) ?? true)
            && (Resource?.Includes(e.Resource) ?? true)
            && (Related ?? []).All(f => e.Related.Any(f.Includes))
            && (AnyResource ?? []).All(f => f.Includes(e.Resource) || e.Related.Any(f.Includes))
            && (Id?.Id is not { Count: > 0 } ids || ids.Contains(e.Id));
    }
}

/// <summary>The order of filtered events by occurred time.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EventOrder>))]
public enum EventOrder
{
    /// <summary>Oldest first.</summary>
    [JsonStringEnumMemberName("ASC")]
    Asc,

    /// <summary>Newest first.</summary>
    [JsonStringEnumMemberName("DESC")]
    Desc,
}

/// <summary>When events occurred, both bounds inclusive.</summary>
public sealed record EventOccurredFilter
{
    /// <summary>Only events at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only events at or before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>True when <paramref name="e"/> occurred within the bounds given.</summary>
    public bool Includes(Event e) => (Since is not { } since || e.Occurred >= since) && (Until is not { } until || e.Occurred <= until);
}

/// <summary>The event's name: one of the prefixes, none of the excluded prefixes, one of the names, none of the excluded names.</summary>
public sealed record EventNameFilter
{
    /// <summary>Only events whose name starts with one of these.</summary>
    public IReadOnlyList<string>? Prefix { get; init; }

    /// <summary>No event whose name starts with one of these.</summary>
    public IReadOnlyList<string>? ExcludePrefix { get; init; }

    /// <summary>Only events with one of these names.</summary>
    public IReadOnlyList<string>? Name { get; init; }

    /// <summary>No event with one of these names.</summary>
    public IReadOnlyList<string>? ExcludeName { get; init; }

    /// <summary>True when the event name <paramref name="name"/> passes every list given.</summary>
    public bool Includes(string name) =>
        (Prefix is not { Count: > 0 } prefixes || prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
        && (ExcludePrefix is not { Count: > 0 } excluded || !excluded.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
        && (Name is not { Count: > 0 } names || names.Contains(name))
        && (ExcludeName is not { Count: > 0 } excludedNames || !excludedNames.Contains(name));
}

/// <summary>A resource: one of the ids, one of the id prefixes, and the labels of a resource specification.</summary>
public record EventResourceFilter
{
    /// <summary>Only resources with one of these ids.</summary>
    public IReadOnlyList<string>? Id { get; init; }

    /// <summary>Only resources whose id starts with one of these.</summary>
    public IReadOnlyList<string>? IdPrefix { get; init; }

    /// <summary>Only resources whose labels match (values may end in <c>*</c> or start with <c>!</c>).</summary>
    public ResourceSpecification? Labels { get; init; }

    /// <summary>True when <paramref name="resource"/> passes every part given.</summary>
    public virtual bool Includes(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return (Id is not { Count: > 0 } ids || ids.Contains(resource.Id))
            && (IdPrefix is not { Count: > 0 } prefixes || prefixes.Any(p => resource.Id.StartsWith(p, StringComparison.Ordinal)))
            && (Labels?.Matches(resource) ?? true);
    }
}

/// <summary>Any resource of an event (its own or a related one).</summary>
public sealed record EventAnyResourceFilter : EventResourceFilter;

/// <summary>A related resource: one of the ids, one of the roles, one of the (id, role) pairs, and labels.</summary>
public sealed record EventRelatedFilter
{
    /// <summary>Only related resources with one of these ids.</summary>
    public IReadOnlyList<string>? Id { get; init; }

    /// <summary>Only related resources in one of these roles.</summary>
    public IReadOnlyList<string>? Role { get; init; }

    /// <summary>Only related resources that are one of these (id, role) pairs (JSON: a list of two-string lists).</summary>
    public IReadOnlyList<IReadOnlyList<string>>? ResourcesInRoles { get; init; }

    /// <summary>Only related resources whose labels match.</summary>
    public ResourceSpecification? Labels { get; init; }

    /// <summary>True when <paramref name="resource"/> passes every part given.</summary>
    public bool Includes(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return (Id is not { Count: > 0 } ids || ids.Contains(resource.Id))
            && (Role is not { Count: > 0 } roles || (resource.Role is { } role && roles.Contains(role)))
            && (ResourcesInRoles is not { Count: > 0 } pairs || pairs.Any(p => p.Count == 2 && p[0] == resource.Id && p[1] == resource.Role))
            && (Labels?.Matches(resource) ?? true);
    }
}

/// <summary>The events' ids.</summary>
public sealed record EventIdFilter
{
    /// <summary>Only events with one of these ids.</summary>
    public IReadOnlyList<Guid>? Id { get; init; }
}
