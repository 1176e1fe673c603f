using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFlow.Grains.Automations;

/// <summary>Writes an <see cref="Automation"/> with <see cref="AutomationJson.Write"/> (reading goes through
/// <see cref="AutomationJson.ParseStored"/>).</summary>
public sealed class AutomationJsonConverter : JsonConverter<Automation>
{
    /// <inheritdoc/>
    public override Automation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        try
        {
            return AutomationJson.ParseStored(document.RootElement.GetRawText());
        }
        catch (AutomationValidationException ex)
        {
            throw new JsonException($"{ex.Path}: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, Automation value, JsonSerializerOptions options) => AutomationJson.Write(writer, value);
}
