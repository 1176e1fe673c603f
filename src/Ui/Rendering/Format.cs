using System.Globalization;

namespace OrleansFlow.Ui.Rendering;

/// <summary>Durations and machine-readable times (UTC, invariant culture). Times people read are in the viewer's zone:
/// <see cref="ViewerTime"/>.</summary>
internal static class Format
{
    public static string Iso(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "";

    public static string Duration(double seconds)
    {
        if (seconds <= 0)
        {
            return "—";
        }

        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes}m")
            : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds:0.##}s");
    }

    /// <summary>A bucket size as words: "5 minutes", "hour", "6 hours", "day".</summary>
    public static string Every(TimeSpan size) =>
        size.TotalDays >= 1 && size.TotalDays % 1 == 0 ? (size.TotalDays == 1 ? "day" : string.Create(CultureInfo.InvariantCulture, $"{size.TotalDays} days"))
        : size.TotalHours >= 1 && size.TotalHours % 1 == 0 ? (size.TotalHours == 1 ? "hour" : string.Create(CultureInfo.InvariantCulture, $"{size.TotalHours} hours"))
        : size.TotalMinutes == 1 ? "minute" : string.Create(CultureInfo.InvariantCulture, $"{size.TotalMinutes:0} minutes");

    public static string LevelName(int level) => level switch
    {
        >= 50 => "CRITICAL",
        >= 40 => "ERROR",
        >= 30 => "WARNING",
        >= 20 => "INFO",
        >= 10 => "DEBUG",
        _ => "NOTSET",
    };

    public static string Json(System.Text.Json.JsonElement? value) =>
        value is { ValueKind: not System.Text.Json.JsonValueKind.Undefined } v
            ? System.Text.Json.JsonSerializer.Serialize(v, Indented)
            : "";

    // Relaxed escaping shows "José & Co's" as entered rather than as \u escapes. Safe only because every caller writes the
    // text through Razor's HTML encoding (or SafeMarkdown, which encodes every character first), never as raw markup.
    private static readonly System.Text.Json.JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A slot count or rate that may be fractional (a global limit's decayed slots), to two decimals at most.</summary>
    public static string Slots(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
