using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrleansFlow.Gateway.Tests.Contract;

/// <summary>Recorded ids to live ids: learnt by walking a recorded response and the live response side by side, applied
/// to every later request's path, query and body.</summary>
internal sealed partial class IdMap
{
    private readonly Dictionary<Guid, Guid> _ids = [];

    public int Count => _ids.Count;

    /// <summary>Maps every UUID string of <paramref name="recorded"/> to the UUID at the same JSON path of
    /// <paramref name="live"/>. The first mapping of an id wins (later responses repeat ids, e.g. <c>flow_id</c>).</summary>
    public void Learn(JsonNode? recorded, JsonNode? live)
    {
        switch (recorded)
        {
            case JsonObject recordedObject when live is JsonObject liveObject:
                foreach (var (name, value) in recordedObject)
                {
                    if (liveObject.TryGetPropertyValue(name, out var liveValue))
                    {
                        Learn(value, liveValue);
                    }
                }

                break;
            case JsonArray recordedArray when live is JsonArray liveArray:
                for (var i = 0; i < Math.Min(recordedArray.Count, liveArray.Count); i++)
                {
                    Learn(recordedArray[i], liveArray[i]);
                }

                break;
            case JsonValue recordedValue when live is JsonValue liveValue
                && AsGuid(recordedValue) is { } recordedId && AsGuid(liveValue) is { } liveId:
                _ids.TryAdd(recordedId, liveId);
                break;
        }
    }

    /// <summary>Declares that <paramref name="recorded"/> is known live as <paramref name="live"/>.</summary>
    public void Add(Guid recorded, Guid live) => _ids.TryAdd(recorded, live);

    /// <summary>The live id of <paramref name="recorded"/>, or null when it was never seen.</summary>
    public Guid? Live(Guid recorded) => _ids.TryGetValue(recorded, out var live) ? live : null;

    /// <summary>Replaces every known recorded UUID in <paramref name="text"/> (a path, query string or JSON text).</summary>
    public string Rewrite(string text) => Uuid().Replace(text, match =>
        Guid.TryParse(match.ValueSpan, out var id) && _ids.TryGetValue(id, out var live) ? live.ToString() : match.Value);

    private static Guid? AsGuid(JsonValue value) =>
        value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: 36 } text && Guid.TryParseExact(text, "D", out var id)
            ? id
            : null;

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Uuid();
}
