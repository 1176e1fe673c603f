using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrleansFlow.Gateway.Tests.Contract;

/// <summary>Moves the times of recorded request bodies (pause timeouts, cache expirations, log timestamps) to the
/// replay's present, so time-dependent rules see the same distances as the real server did.</summary>
internal sealed partial class RecordedClock
{
    private readonly DateTimeOffset? _recordingStart;

    private RecordedClock(DateTimeOffset? recordingStart) => _recordingStart = recordingStart;

    /// <summary>Anchors the recording on the first resource the recorded server created (its <c>created</c> time,
    /// less the request's offset); without one, times are sent unchanged.</summary>
    public static RecordedClock For(Scenario scenario)
    {
        foreach (var exchange in scenario.Exchanges)
        {
            if (exchange is { Method: "POST", Status: 201, Response: JsonObject response }
                && response["created"] is JsonValue created && Parse(created) is { } time)
            {
                return new RecordedClock(time - TimeSpan.FromMilliseconds(exchange.StartMs));
            }
        }

        return new RecordedClock(null);
    }

    /// <summary>How far the live present is from the moment <paramref name="exchange"/> was recorded.</summary>
    public TimeSpan ShiftFor(RecordedExchange exchange, DateTimeOffset now) =>
        _recordingStart is { } start ? now - (start + TimeSpan.FromMilliseconds(exchange.StartMs)) : TimeSpan.Zero;

    /// <summary>A copy of <paramref name="body"/> with every date-time string moved by <paramref name="shift"/>.</summary>
    public static JsonNode? Shift(JsonNode? body, TimeSpan shift)
    {
        if (body is null || shift == TimeSpan.Zero)
        {
            return body?.DeepClone();
        }

        return ShiftInPlace(body.DeepClone(), shift);
    }

    private static JsonNode ShiftInPlace(JsonNode node, TimeSpan shift)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    Replace(obj[name], shift, replacement => obj[name] = replacement);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var index = i;
                    Replace(array[i], shift, replacement => array[index] = replacement);
                }

                break;
        }

        return node;
    }

    private static void Replace(JsonNode? child, TimeSpan shift, Action<JsonNode> set)
    {
        if (child is JsonValue value && Parse(value) is { } time)
        {
            set(JsonValue.Create((time + shift).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture)));
        }
        else if (child is not null)
        {
            ShiftInPlace(child, shift);
        }
    }

    private static DateTimeOffset? Parse(JsonValue value) =>
        value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { } text && IsoTime().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex IsoTime();
}
