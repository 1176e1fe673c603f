using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFlow.Silo.Events;

/// <summary>Reads a JSON object or a list of them as a list (Prefect's <c>related</c> and <c>any_resource</c> accept
/// both); writes a list.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class OneOrManyConverter<T> : JsonConverter<IReadOnlyList<T>>
{
    /// <inheritdoc />
    public override IReadOnlyList<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.StartArray => JsonSerializer.Deserialize<List<T>>(ref reader, options),
            JsonTokenType.StartObject => [JsonSerializer.Deserialize<T>(ref reader, options)!],
            _ => throw new JsonException("Expected an object or a list of objects."),
        };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}
