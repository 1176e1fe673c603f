using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFlow.Grains.Json;

/// <summary>Writes times as Prefect does (UTC, microseconds, <c>+00:00</c>) and reads any ISO 8601 time.</summary>
public sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>The format of every time OrleansFlow writes: <c>2026-11-21T23:48:16.303420+00:00</c>.</summary>
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'";

    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Expected a date-time string.");
        }

        var text = reader.GetString()!;
        if (reader.TryGetDateTimeOffset(out var value))
        {
            return value.ToUniversalTime();
        }

        // Accept the forms Python clients send besides strict ISO 8601 (a space separator, no offset).
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value))
        {
            return value;
        }

        throw new JsonException($"'{text}' is not a valid date-time.");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<byte> buffer = stackalloc byte[UtcTimeText.PrefectLength];
        writer.WriteStringValue(buffer[..UtcTimeText.WritePrefectUtf8(value, buffer)]);
    }
}
