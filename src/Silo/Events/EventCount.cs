using System.Text.Json.Serialization;

namespace OrleansFlow.Silo.Events;

/// <summary>One group of <see cref="EventStore.CountByAsync"/> (Prefect 3's <c>EventCount</c>).</summary>
/// <param name="Value">What the group is (an event name, a resource id, a time bucket's index).</param>
/// <param name="Label">What to show for it (the resource's name, the bucket's start).</param>
/// <param name="Count">How many events.</param>
/// <param name="StartTime">The oldest event's time, or the bucket's start.</param>
/// <param name="EndTime">The newest event's time, or the bucket's end.</param>
public sealed record EventCount(string Value, string Label, long Count, DateTimeOffset StartTime, DateTimeOffset EndTime);

/// <summary>What <see cref="EventStore.CountByAsync"/> groups by.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EventCountable>))]
public enum EventCountable
{
    /// <summary>Days (a time count of one-day buckets).</summary>
    [JsonStringEnumMemberName("day")]
    Day,

    /// <summary>Time buckets of the request's unit and interval.</summary>
    [JsonStringEnumMemberName("time")]
    Time,

    /// <summary>Event names.</summary>
    [JsonStringEnumMemberName("event")]
    Event,

    /// <summary>Resource ids.</summary>
    [JsonStringEnumMemberName("resource")]
    Resource,
}

/// <summary>The unit of a time count.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EventTimeUnit>))]
public enum EventTimeUnit
{
    /// <summary>Weeks.</summary>
    [JsonStringEnumMemberName("week")]
    Week,

    /// <summary>Days.</summary>
    [JsonStringEnumMemberName("day")]
    Day,

    /// <summary>Hours.</summary>
    [JsonStringEnumMemberName("hour")]
    Hour,

    /// <summary>Minutes.</summary>
    [JsonStringEnumMemberName("minute")]
    Minute,

    /// <summary>Seconds.</summary>
    [JsonStringEnumMemberName("second")]
    Second,
}

/// <summary>A count request that cannot be answered (Prefect answers 422).</summary>
public sealed class EventCountException(string message) : Exception(message);
