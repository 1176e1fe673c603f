using System.Globalization;

namespace OrleansFlow.Grains.Schedules;

/// <summary>A five-field cron expression (minute hour day-of-month month day-of-week) with lists, ranges, steps,
/// month and weekday names, <c>7</c> for Sunday and the <c>@hourly</c>-style aliases. As in cron, when both day fields
/// are restricted a day matches either one (unless <see cref="DayOr"/> is false, then it must match both).</summary>
public sealed class CronExpression
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _daysOfMonth;
    private readonly bool[] _months;
    private readonly bool[] _daysOfWeek;
    private readonly bool _anyDayOfMonth;
    private readonly bool _anyDayOfWeek;

    private CronExpression(string text, bool dayOr)
    {
        var expanded = Aliases.TryGetValue(text.Trim(), out var alias) ? alias : text;
        var fields = expanded.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            throw new FormatException($"A cron expression has 5 fields (minute hour day-of-month month day-of-week); '{text}' has {fields.Length}.");
        }

        _minutes = Field(fields[0], 0, 59, null, "minute");
        _hours = Field(fields[1], 0, 23, null, "hour");
        _daysOfMonth = Field(fields[2], 1, 31, null, "day of month");
        _months = Field(fields[3], 1, 12, MonthNames, "month");
        var daysOfWeek = Field(fields[4], 0, 7, DayNames, "day of week");
        daysOfWeek[0] |= daysOfWeek[7];
        _daysOfWeek = daysOfWeek[..7];
        _anyDayOfMonth = fields[2] is "*" or "?";
        _anyDayOfWeek = fields[4] is "*" or "?";
        DayOr = dayOr;
        Text = text;
    }

    /// <summary>The expression as given.</summary>
    public string Text { get; }

    /// <summary>True (cron's rule, the default): with both day fields restricted, a day matching either one matches.</summary>
    public bool DayOr { get; }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">The text is not a valid five-field expression; the message says which field.</exception>
    public static CronExpression Parse(string text, bool dayOr = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new CronExpression(text, dayOr);
    }

    /// <summary>True when the expression fires at some time on <paramref name="date"/>.</summary>
    public bool MatchesDay(DateOnly date)
    {
        if (!_months[date.Month])
        {
            return false;
        }

        var dom = _daysOfMonth[date.Day];
        var dow = _daysOfWeek[(int)date.DayOfWeek];
        if (_anyDayOfMonth || _anyDayOfWeek)
        {
            return dom && dow;
        }

        return DayOr ? dom || dow : dom && dow;
    }

    /// <summary>The wall-clock times of day the expression fires at, in order.</summary>
    public IEnumerable<TimeOnly> TimesOfDay()
    {
        for (var hour = 0; hour < 24; hour++)
        {
            if (!_hours[hour])
            {
                continue;
            }

            for (var minute = 0; minute < 60; minute++)
            {
                if (_minutes[minute])
                {
                    yield return new TimeOnly(hour, minute);
                }
            }
        }
    }

    private static bool[] Field(string field, int min, int max, string[]? names, string what)
    {
        var set = new bool[max + 1];
        foreach (var part in field.Split(','))
        {
            var (range, step) = part.Split('/') switch
            {
                [var r] => (r, 1),
                [var r, var s] when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => (r, n),
                _ => throw Invalid(field, what),
            };
            int from, to;
            if (range is "*" or "?")
            {
                (from, to) = (min, max);
            }
            else if (range.Split('-') is [var a, var b])
            {
                (from, to) = (Value(a, min, max, names, field, what), Value(b, min, max, names, field, what));
            }
            else
            {
                from = Value(range, min, max, names, field, what);
                to = part.Contains('/', StringComparison.Ordinal) ? max : from;
            }

            if (from > to)
            {
                throw Invalid(field, what);
            }

            for (var i = from; i <= to; i += step)
            {
                set[i] = true;
            }
        }

        return set;
    }

    private static int Value(string text, int min, int max, string[]? names, string field, string what)
    {
        if (names is not null)
        {
            var index = Array.FindIndex(names, n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                return index + (min == 1 ? 1 : 0);
            }
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Invalid(field, what);
    }

    private static FormatException Invalid(string field, string what) => new($"'{field}' is not a valid {what} field.");
}
