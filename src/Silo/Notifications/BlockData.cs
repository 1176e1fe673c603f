using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Silo.Notifications;

/// <summary>Reads typed fields of a block document's data, leniently (a number sent as a string is read as a number).</summary>
internal static class BlockData
{
    public static string? String(JsonObject data, string field) => data[field] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => null,
    };

    public static long? Integer(JsonObject data, string field) =>
        String(data, field) is { } text && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static double? Number(JsonObject data, string field) =>
        String(data, field) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static bool? Bool(JsonObject data, string field) => data[field] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>A mapping of strings (headers, cookies, params, secrets); values that are not strings are written as JSON.</summary>
    public static Dictionary<string, string> Map(JsonObject data, string field) => data[field] is JsonObject map
        ? map.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : p.Value!.ToJsonString(), StringComparer.Ordinal)
        : new Dictionary<string, string>(StringComparer.Ordinal);
}
