using System.Globalization;

namespace OrleansFlow.Grains.Schedules;

public sealed partial class RRuleSchedule
{
    private static readonly Dictionary<string, DayOfWeek> DayNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["MO"] = DayOfWeek.Monday,
        ["TU"] = DayOfWeek.Tuesday,
        ["WE"] = DayOfWeek.Wednesday,
        ["TH"] = DayOfWeek.Thursday,
        ["FR"] = DayOfWeek.Friday,
        ["SA"] = DayOfWeek.Saturday,
        ["SU"] = DayOfWeek.Sunday,
    };

    /// <summary>Parses a single rule: an optional <c>DTSTART[;TZID=zone]:yyyyMMddTHHmmss[Z]</c> line and an
    /// <c>[RRULE:]FREQ=...</c> line. The time zone is DTSTART's TZID, else <paramref name="zone"/>; without DTSTART the rule
    /// starts at 2020-01-01 00:00 on that wall clock. <see cref="RRuleSet.Parse"/> also reads RDATE, EXDATE and EXRULE.</summary>
    /// <exception cref="FormatException">The rule is not valid or uses a part this server does not support; the message
    /// names the part.</exception>
    public static RRuleSchedule Parse(string text, TimeZoneInfo zone) =>
        RRuleSet.Parse(text, zone) as RRuleSchedule
            ?? throw new FormatException("the text holds more than one rule or dates: it is a set (RRuleSet.Parse)");

    /// <summary>Parses the <c>NAME=VALUE;...</c> parts of one RRULE (or EXRULE) line starting at <paramref name="start"/>.</summary>
    internal static RRuleSchedule ParseRule(string rule, DateTime start, TimeZoneInfo zone)
    {
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in rule.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"'{part}' is not NAME=VALUE");
            }

            parts[part[..equals]] = part[(equals + 1)..];
        }

        RRuleFrequency frequency = parts.TryGetValue("FREQ", out var freq) ? freq.ToUpperInvariant() switch
        {
            "YEARLY" => RRuleFrequency.Yearly,
            "MONTHLY" => RRuleFrequency.Monthly,
            "WEEKLY" => RRuleFrequency.Weekly,
            "DAILY" => RRuleFrequency.Daily,
            "HOURLY" => RRuleFrequency.Hourly,
            "MINUTELY" => RRuleFrequency.Minutely,
            "SECONDLY" => RRuleFrequency.Secondly,
            _ => throw new FormatException($"FREQ={freq} is not a frequency (YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY, SECONDLY)"),
        } : throw new FormatException("an rrule needs FREQ");

        foreach (var name in parts.Keys)
        {
            switch (name.ToUpperInvariant())
            {
                case "FREQ" or "INTERVAL" or "COUNT" or "UNTIL" or "BYMONTH" or "BYWEEKNO" or "BYYEARDAY" or "BYMONTHDAY" or "BYDAY"
                    or "BYHOUR" or "BYMINUTE" or "BYSECOND" or "BYSETPOS" or "WKST":
                    break;
                case "BYEASTER":
                    throw new FormatException("BYEASTER (a dateutil extension) is not supported by this server");
                default:
                    throw new FormatException($"{name} is not an rrule part");
            }
        }

        if (parts.ContainsKey("COUNT") && parts.ContainsKey("UNTIL"))
        {
            throw new FormatException("COUNT and UNTIL cannot both be given");
        }

        if (parts.TryGetValue("WKST", out var weekStart))
        {
            if (!DayNames.ContainsKey(weekStart))
            {
                throw new FormatException($"WKST={weekStart} is not a weekday (MO..SU)");
            }

            if (!weekStart.Equals("MO", StringComparison.OrdinalIgnoreCase) && (parts.ContainsKey("BYWEEKNO")
                || (frequency == RRuleFrequency.Weekly && parts.TryGetValue("INTERVAL", out var every) && every != "1")))
            {
                throw new FormatException($"WKST={weekStart} is not supported with BYWEEKNO or a weekly INTERVAL: weeks start on Monday here");
            }
        }

        var byDay = parts.TryGetValue("BYDAY", out var days) ? days.Split(',').Select(ParseDay).ToArray() : null;
        if (byDay is not null && byDay.Any(d => d.Ordinal != 0) && frequency is not (RRuleFrequency.Monthly or RRuleFrequency.Yearly))
        {
            throw new FormatException("BYDAY ordinals are only allowed in MONTHLY and YEARLY rules");
        }

        return new RRuleSchedule(frequency, start, zone)
        {
            Interval = parts.TryGetValue("INTERVAL", out var interval) ? Number(interval, "INTERVAL", 1, 10_000) : 1,
            Count = parts.TryGetValue("COUNT", out var count) ? Number(count, "COUNT", 1, 1_000_000) : null,
            Until = parts.TryGetValue("UNTIL", out var until) ? ParseUntil(until, zone) : null,
            ByMonth = List(parts, "BYMONTH", 1, 12, allowNegative: false),
            ByWeekNo = List(parts, "BYWEEKNO", 1, 53, allowNegative: true),
            ByYearDay = List(parts, "BYYEARDAY", 1, 366, allowNegative: true),
            ByMonthDay = List(parts, "BYMONTHDAY", 1, 31, allowNegative: true),
            ByDay = byDay,
            ByHour = List(parts, "BYHOUR", 0, 23, allowNegative: false),
            ByMinute = List(parts, "BYMINUTE", 0, 59, allowNegative: false),
            BySecond = List(parts, "BYSECOND", 0, 59, allowNegative: false),
            BySetPos = List(parts, "BYSETPOS", 1, 366, allowNegative: true),
        };
    }

    internal static (DateTime Start, TimeZoneInfo Zone) ParseStart(string line, TimeZoneInfo zone)
    {
        var colon = line.LastIndexOf(':');
        if (colon < 0)
        {
            throw new FormatException("DTSTART needs a value");
        }

        var parameters = line[..colon];
        var tzid = parameters.IndexOf("TZID=", StringComparison.OrdinalIgnoreCase);
        if (tzid >= 0)
        {
            zone = FindZone(parameters[(tzid + 5)..].Split(';')[0]);
        }

        var value = line[(colon + 1)..];
        var utc = value.EndsWith('Z');
        var local = ParseTime(utc ? value[..^1] : value, "DTSTART");
        return utc ? (TimeZoneInfo.ConvertTime(new DateTimeOffset(local, TimeSpan.Zero), zone).DateTime, zone) : (local, zone);
    }

    private static DateTimeOffset ParseUntil(string value, TimeZoneInfo zone)
    {
        var utc = value.EndsWith('Z');
        var time = ParseTime(utc ? value[..^1] : value, "UNTIL");
        return utc
            ? new DateTimeOffset(time, TimeSpan.Zero)
            : ToInstant(time, zone) ?? new DateTimeOffset(time, zone.GetUtcOffset(time.AddHours(1))).ToUniversalTime();
    }

    internal static DateTime ParseTime(string value, string part) =>
        DateTime.TryParseExact(value, ["yyyyMMdd'T'HHmmss", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new FormatException($"{part}={value} is not a date-time (yyyyMMddTHHmmss)");

    private static (int Ordinal, DayOfWeek Day) ParseDay(string text)
    {
        if (text.Length < 2 || !DayNames.TryGetValue(text[^2..], out var day))
        {
            throw new FormatException($"BYDAY={text} is not a weekday (MO..SU, optionally with an ordinal such as 1MO or -1FR)");
        }

        var ordinal = text.Length == 2 ? 0 : Number(text[..^2], "BYDAY", -53, 53);
        return ordinal == 0 && text.Length > 2 ? throw new FormatException($"BYDAY={text} has a zero ordinal") : (ordinal, day);
    }

    private static int[]? List(Dictionary<string, string> parts, string name, int min, int max, bool allowNegative)
    {
        if (!parts.TryGetValue(name, out var value))
        {
            return null;
        }

        return [.. value.Split(',').Select(v =>
        {
            var n = Number(v, name, allowNegative ? -max : min, max);
            return n == 0 && allowNegative ? throw new FormatException($"{name}={v} must not be 0") : n;
        })];
    }

    private static int Number(string text, string name, int min, int max) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"{name}={text} must be a number between {min} and {max}");
}
