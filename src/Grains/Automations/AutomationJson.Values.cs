using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Xml;

namespace OrleansFlow.Grains.Automations;

public static partial class AutomationJson
{
    /// <summary>Reads a window: seconds as a number, or an ISO 8601 duration (<c>PT30S</c>).</summary>
    private static TimeSpan? Seconds(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number:
                var seconds = value.GetDouble();
                return double.IsFinite(seconds) && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds / 2
                    ? TimeSpan.FromSeconds(seconds)
                    : throw new AutomationValidationException(path, "value is not a valid duration");
            case JsonValueKind.String:
                try
                {
                    return XmlConvert.ToTimeSpan(value.GetString()!);
                }
                catch (FormatException)
                {
                    throw new AutomationValidationException(path, "value is not a valid duration (seconds, or ISO 8601 like PT30S)");
                }

            default:
                throw new AutomationValidationException(path, "value is not a valid duration (seconds, or ISO 8601 like PT30S)");
        }
    }

    private static JsonElement? Optional(JsonElement body, string name) => body.TryGetProperty(name, out var value) ? value : null;

    private static JsonElement Required(JsonElement body, string name, string path) =>
        body.TryGetProperty(name, out var value) ? value : throw new AutomationValidationException(Join(path, name), "field required");

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Join(string path, int index) => $"{path}.{index.ToString(CultureInfo.InvariantCulture)}";

    private static string String(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new AutomationValidationException(path, "str type expected");

    private static bool Bool(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new AutomationValidationException(path, "value could not be parsed to a boolean"),
    };

    private static Guid Guid(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String && System.Guid.TryParse(value.GetString(), out var id)
            ? id
            : throw new AutomationValidationException(path, "value is not a valid uuid");

    private static ImmutableArray<string> Strings(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new AutomationValidationException(path, "value is not a valid list");
        }

        return [.. value.EnumerateArray().Select((v, i) => String(v, Join(path, i)))];
    }
}
