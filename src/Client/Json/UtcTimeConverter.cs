using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFlow.Client.Json;

/// <summary>Writes times in UTC with microseconds, as Prefect does (<c>2024-05-01T12:00:00.000000+00:00</c>); reads ISO
/// 8601 and the looser forms Python clients send (a space separator, no offset: taken as UTC).</summary>
public sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>The format written.</summary>
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'";

    /// <inheritdoc/>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Expected a date-time string.");
        }

        if (reader.TryGetDateTimeOffset(out var value))
        {
            return value.ToUniversalTime();
        }

        var text = reader.GetString()!;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value)
            ? value
            : throw new JsonException($"'{text}' is not a valid date-time.");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<char> buffer = stackalloc char[32];
        value.UtcDateTime.TryFormat(buffer, out var written, Format, CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }
}
