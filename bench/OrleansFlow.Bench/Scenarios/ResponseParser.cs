using System.Text.Json;

namespace OrleansFlow.Bench.Scenarios;

/// <summary>
/// Reads just the top-level fields the load generator needs (<c>id</c>, <c>status</c>) with a
/// <see cref="Utf8JsonReader"/>, skipping everything else without materializing it.
/// </summary>
internal static class ResponseParser
{
    /// <summary>The top-level <c>id</c> string of a created object, or null.</summary>
    public static string? ReadId(ReadOnlySpan<byte> json) =>
        TryFindTopLevel(json, "id"u8, out var reader) && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;

    /// <summary>
    /// True when the top-level <c>status</c> of a set_state response is ACCEPT; otherwise
    /// <paramref name="status"/> is the status found (REJECT, WAIT, ABORT) or null when there is none.
    /// </summary>
    public static bool IsAccepted(ReadOnlySpan<byte> json, out string? status)
    {
        status = null;
        if (!TryFindTopLevel(json, "status"u8, out var reader) || reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        if (reader.ValueTextEquals("ACCEPT"u8))
        {
            return true;
        }

        status = reader.GetString();
        return false;
    }

    private static bool TryFindTopLevel(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name, out Utf8JsonReader reader)
    {
        reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(name);
                if (!reader.Read())
                {
                    return false;
                }

                if (match)
                {
                    return true;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: treated as "field absent" and reported by the caller as a bad response.
        }

        return false;
    }
}
