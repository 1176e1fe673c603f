using System.Globalization;
using System.Text.Json;

namespace OrleansFlow.Ui.Rendering;

/// <summary>A deployment's schedule (Prefect's interval, cron or rrule JSON) in words: "every 1 h", "cron 0 9 * * 1-5 (Europe/Oslo)".</summary>
internal static class ScheduleText
{
    public static string Describe(JsonElement? schedule)
    {
        if (schedule is not { ValueKind: JsonValueKind.Object } value)
        {
            return "no schedule";
        }

        var zone = value.TryGetProperty("timezone", out var tz) && tz.ValueKind == JsonValueKind.String ? $" ({tz.GetString()})" : "";
        if (value.TryGetProperty("interval", out var interval) && interval.ValueKind == JsonValueKind.Number)
        {
            return "every " + Every(TimeSpan.FromSeconds(interval.GetDouble())) + zone;
        }

        if (value.TryGetProperty("cron", out var cron) && cron.ValueKind == JsonValueKind.String)
        {
            return $"cron {cron.GetString()}{zone}";
        }

        if (value.TryGetProperty("rrule", out var rrule) && rrule.ValueKind == JsonValueKind.String)
        {
            return $"rrule {rrule.GetString()}{zone}";
        }

        return value.GetRawText();
    }

    /// <summary>The schedule as a sentence: "Every hour (UTC)", "At 09:00, Monday to Friday (cron 0 9 * * 1-5, Europe/Oslo)";
    /// a cron beyond the common shapes, and an rrule, read as themselves.</summary>
    public static string InWords(JsonElement? schedule)
    {
        if (schedule is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty("cron", out var cron) && cron.ValueKind == JsonValueKind.String
            && CronText.Describe(cron.GetString()!) is { } words)
        {
            var zone = value.TryGetProperty("timezone", out var tz) && tz.ValueKind == JsonValueKind.String ? $", {tz.GetString()}" : "";
            return $"{words} (cron {cron.GetString()}{zone})";
        }

        var text = Describe(schedule);
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }

    private static string Every(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays % 1 == 0 ? Plural((int)span.TotalDays, "day")
        : span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? Plural((int)span.TotalHours, "hour")
        : span.TotalMinutes >= 1 && span.TotalMinutes % 1 == 0 ? Plural((int)span.TotalMinutes, "minute")
        : Plural((int)span.TotalSeconds, "second");

    private static string Plural(int n, string unit) => n == 1 ? unit : string.Create(CultureInfo.InvariantCulture, $"{n} {unit}s");
}
