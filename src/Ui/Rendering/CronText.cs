using System.Globalization;

namespace OrleansFlow.Ui.Rendering;

/// <summary>A five-field cron expression in words, for the common shapes ("At 09:00, Monday to Friday", "Every 15
/// minutes", "At minute 30 of every hour, on day 1 of the month"); null when a field is beyond these shapes.</summary>
internal static class CronText
{
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    private static readonly string[] Months = ["", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static string? Describe(string cron)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            return null;
        }

        var (minute, hour, dayOfMonth, month, dayOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        var time = Time(minute, hour);
        if (time is null)
        {
            return null;
        }

        var parts = new List<string> { time };
        if (dayOfWeek != "*")
        {
            if (Names(dayOfWeek, Days, 0, 7) is not { } days)
            {
                return null;
            }

            parts.Add(days);
        }

        if (dayOfMonth != "*")
        {
            if (!IsList(dayOfMonth, 1, 31))
            {
                return null;
            }

            parts.Add($"on day {dayOfMonth.Replace(",", ", ", StringComparison.Ordinal).Replace("-", " to ", StringComparison.Ordinal)} of the month");
        }

        if (month != "*")
        {
            if (Names(month, Months, 1, 12) is not { } months)
            {
                return null;
            }

            parts.Add("in " + months);
        }

        return string.Join(", ", parts);
    }

    private static string? Time(string minute, string hour)
    {
        if (minute == "*" && hour == "*")
        {
            return "Every minute";
        }

        if (Step(minute) is { } minutes && hour == "*")
        {
            return $"Every {minutes} minutes";
        }

        if (!Number(minute, 0, 59, out var m))
        {
            return null;
        }

        if (hour == "*")
        {
            return m == 0 ? "Every hour, on the hour" : $"At minute {m} of every hour";
        }

        if (Step(hour) is { } hours)
        {
            return $"Every {hours} hours at minute {m}";
        }

        if (Number(hour, 0, 23, out var h))
        {
            return string.Create(CultureInfo.InvariantCulture, $"At {h:00}:{m:00}");
        }

        return IsList(hour, 0, 23) ? string.Create(CultureInfo.InvariantCulture, $"At minute {m} past hours {hour.Replace(",", ", ", StringComparison.Ordinal)}") : null;
    }

    private static string? Names(string field, string[] names, int min, int max)
    {
        if (field.Contains('-', StringComparison.Ordinal) && field.Split('-') is [var from, var to] && Number(from, min, max, out var a) && Number(to, min, max, out var b))
        {
            return $"{names[a]} to {names[b]}";
        }

        var items = field.Split(',');
        var result = new List<string>();
        foreach (var item in items)
        {
            if (!Number(item, min, max, out var n))
            {
                return null;
            }

            result.Add(names[n]);
        }

        return result.Count == 1 ? (names == Days ? "on " + result[0] + "s" : result[0])
            : (names == Days ? "on " : "") + string.Join(", ", result[..^1]) + " and " + result[^1];
    }

    private static int? Step(string field) =>
        field.StartsWith("*/", StringComparison.Ordinal) && int.TryParse(field.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var step) && step > 0 ? step : null;

    private static bool IsList(string field, int min, int max) =>
        field.Split(',').All(item => item.Split('-') is var range && range.Length <= 2 && range.All(n => Number(n, min, max, out _)));

    private static bool Number(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
}
