using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Json;
using OrleansFlow.Silo.Events;

namespace OrleansFlow.Gateway.Events;

/// <summary>Reads events and event filters from request JSON, answering bad input with a 422 whose <c>loc</c> names the
/// field (e.g. <c>["body", 2, "resource", "prefect.resource.id"]</c>).</summary>
internal static class EventBodies
{
    /// <summary>The longest event name Prefect accepts.</summary>
    public const int MaxNameLength = 1024;

    /// <summary>A list of events (<c>POST /api/events</c>).</summary>
    public static List<Event> Events(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(["body"], "value is not a valid list");
        }

        var events = new List<Event>(body.GetArrayLength());
        var i = 0;
        foreach (var item in body.EnumerateArray())
        {
            events.Add(Event(item, ["body", i++]));
        }

        return events;
    }

    /// <summary>One event at <paramref name="loc"/>.</summary>
    public static Event Event(JsonElement item, IReadOnlyList<object> loc)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(loc, "value is not a valid dict");
        }

        var name = Required(item, loc, "event") is { ValueKind: JsonValueKind.String } n && n.GetString() is { Length: > 0 and <= MaxNameLength } text
            ? text
            : throw Invalid([.. loc, "event"], $"must be a non-empty string of at most {MaxNameLength} characters");
        var resource = Resource(Required(item, loc, "resource"), [.. loc, "resource"]);
        if (string.IsNullOrEmpty(resource.Id))
        {
            throw Invalid([.. loc, "resource", Grains.Events.Resource.IdLabel], "field required: a resource needs a non-empty prefect.resource.id");
        }

        var related = new List<Resource>();
        if (item.TryGetProperty("related", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw Invalid([.. loc, "related"], "value is not a valid list");
            }

            var j = 0;
            foreach (var entry in list.EnumerateArray())
            {
                var at = new List<object>(loc) { "related", j++ };
                var r = Resource(entry, at);
                if (string.IsNullOrEmpty(r.Id) || string.IsNullOrEmpty(r.Role))
                {
                    throw Invalid(at, "a related resource needs a non-empty prefect.resource.id and prefect.resource.role");
                }

                related.Add(r);
            }
        }

        JsonElement? payload = null;
        if (item.TryGetProperty("payload", out var p) && p.ValueKind != JsonValueKind.Null)
        {
            payload = p.ValueKind == JsonValueKind.Object ? p.Clone() : throw Invalid([.. loc, "payload"], "value is not a valid dict");
        }

        return new Event
        {
            Id = Guid(Required(item, loc, "id"), [.. loc, "id"]),
            Occurred = Time(Required(item, loc, "occurred"), [.. loc, "occurred"]),
            Name = name,
            Resource = resource,
            Related = related,
            Payload = payload,
            Follows = item.TryGetProperty("follows", out var f) && f.ValueKind != JsonValueKind.Null ? Guid(f, [.. loc, "follows"]) : null,
        };
    }

    /// <summary>Deserializes <paramref name="element"/> as <typeparamref name="T"/> with the wire options; a failure is a
    /// 422 at <paramref name="loc"/> plus the failing path inside.</summary>
    public static T Read<T>(JsonElement element, IReadOnlyList<object> loc)
    {
        try
        {
            return element.Deserialize<T>(OrleansFlowJson.Options) ?? throw Invalid(loc, "none is not an allowed value");
        }
        catch (JsonException ex)
        {
            throw Invalid([.. loc, .. RequestBody.Location(ex.Path).Skip(1)], RequestBody.Describe(ex));
        }
    }

    /// <summary>A 422 naming <paramref name="loc"/>.</summary>
    public static ApiValidationException Invalid(IReadOnlyList<object> loc, string message) => new([new ApiError(loc, message, "value_error")]);

    private static JsonElement Required(JsonElement item, IReadOnlyList<object> loc, string field) =>
        item.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new ApiValidationException([new ApiError([.. loc, field], "field required", "value_error.missing")]);

    private static Resource Resource(JsonElement element, IReadOnlyList<object> loc)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(loc, "value is not a valid dict");
        }

        var labels = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var label in element.EnumerateObject())
        {
            labels[label.Name] = label.Value.ValueKind == JsonValueKind.String ? label.Value.GetString()! : throw Invalid([.. loc, label.Name], "str type expected");
        }

        return new Resource { Labels = labels.ToImmutable() };
    }

    private static Guid Guid(JsonElement element, IReadOnlyList<object> loc) =>
        element.ValueKind == JsonValueKind.String && System.Guid.TryParse(element.GetString(), out var id) ? id : throw Invalid(loc, "value is not a valid uuid");

    private static DateTimeOffset Time(JsonElement element, IReadOnlyList<object> loc) =>
        element.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw Invalid(loc, "invalid datetime format");

    /// <summary>The <c>filter</c> member of a body (absent: every event), at <c>["body", "filter"]</c>.</summary>
    public static EventFilter Filter(JsonElement body, bool required = false)
    {
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("filter", out var filter) && filter.ValueKind != JsonValueKind.Null)
        {
            return Read<EventFilter>(filter, ["body", "filter"]);
        }

        return required ? throw new ApiValidationException([new ApiError(["body", "filter"], "field required", "value_error.missing")]) : new EventFilter();
    }

    /// <summary>Checks the parts of a filter the types do not (a resources_in_roles entry is an (id, role) pair).</summary>
    public static EventFilter Checked(EventFilter filter)
    {
        var related = filter.Related ?? [];
        for (var i = 0; i < related.Count; i++)
        {
            var pairs = related[i].ResourcesInRoles ?? [];
            for (var j = 0; j < pairs.Count; j++)
            {
                if (pairs[j] is not { Count: 2 })
                {
                    throw Invalid(["body", "filter", "related", i, "resources_in_roles", j], "must be a list of two strings: [resource id, role]");
                }
            }
        }

        return filter;
    }
}
