namespace OrleansFlow.Grains.Schedules;

/// <summary>A set of recurrence rules and dates, as python-dateutil's <c>rrulestr</c> reads one (and Prefect's RRULE
/// schedules accept): every RRULE line and RDATE date is an occurrence, except the EXDATE dates and the EXRULE
/// occurrences. DTSTART applies to every rule. Dates are wall-clock times in the schedule's time zone (Prefect replaces
/// their zone with the schedule's); a trailing <c>Z</c> is accepted and read the same way.</summary>
public sealed class RRuleSet : DeploymentSchedule
{
    // How many excluded occurrences in a row Next skips before it gives up.
    private const int MaxExcluded = 100_000;

    private readonly IReadOnlyList<RRuleSchedule> _rules;
    private readonly IReadOnlyList<RRuleSchedule> _exclusionRules;
    private readonly DateTimeOffset[] _dates;
    private readonly HashSet<DateTimeOffset> _excludedDates;

    private RRuleSet(IReadOnlyList<RRuleSchedule> rules, IReadOnlyList<RRuleSchedule> exclusionRules, IEnumerable<DateTimeOffset> dates,
        IEnumerable<DateTimeOffset> excludedDates)
    {
        _rules = rules;
        _exclusionRules = exclusionRules;
        _dates = [.. dates.Distinct().Order()];
        _excludedDates = [.. excludedDates];
    }

    /// <summary>Parses an rrule text: whitespace-separated <c>DTSTART</c>, <c>RRULE</c> (or a bare <c>FREQ=...</c>),
    /// <c>EXRULE</c>, <c>RDATE</c> and <c>EXDATE</c> lines. One rule alone is an <see cref="RRuleSchedule"/>.</summary>
    /// <exception cref="FormatException">A line or part is not valid or not supported; the message names it.</exception>
    public static DeploymentSchedule Parse(string text, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(zone);
        var start = new DateTime(2020, 1, 1);
        var rules = new List<string>();
        var exclusionRules = new List<string>();
        var dates = new List<string>();
        var excludedDates = new List<string>();
        foreach (var line in text.Split(['\n', '\r', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                rules.Add(line.Contains("FREQ=", StringComparison.OrdinalIgnoreCase)
                    ? line
                    : throw new FormatException($"'{line}' is not a DTSTART, RRULE, EXRULE, RDATE or EXDATE line"));
                continue;
            }

            var parameters = line[..colon].Split(';');
            var value = line[(colon + 1)..];
            switch (parameters[0].ToUpperInvariant())
            {
                case "DTSTART":
                    (start, zone) = RRuleSchedule.ParseStart(line, zone);
                    break;
                case "RRULE":
                    rules.Add(NoParameters(parameters, value));
                    break;
                case "EXRULE":
                    exclusionRules.Add(NoParameters(parameters, value));
                    break;
                case "RDATE":
                    dates.AddRange(DateValues(parameters, value));
                    break;
                case "EXDATE":
                    excludedDates.AddRange(DateValues(parameters, value));
                    break;
                default:
                    throw new FormatException($"'{parameters[0]}' is not a DTSTART, RRULE, EXRULE, RDATE or EXDATE line");
            }
        }

        if (rules.Count == 0 && dates.Count == 0)
        {
            throw new FormatException("an rrule needs FREQ (or RDATE dates)");
        }

        var parsed = rules.Select(rule => RRuleSchedule.ParseRule(rule, start, zone)).ToList();
        if (parsed.Count == 1 && exclusionRules.Count == 0 && dates.Count == 0 && excludedDates.Count == 0)
        {
            return parsed[0];
        }

        return new RRuleSet(
            parsed,
            [.. exclusionRules.Select(rule => RRuleSchedule.ParseRule(rule, start, zone))],
            dates.Select(date => Instant(date, "RDATE", zone)).OfType<DateTimeOffset>(),
            excludedDates.Select(date => Instant(date, "EXDATE", zone)).OfType<DateTimeOffset>());
    }

    /// <inheritdoc />
    public override DateTimeOffset? Next(DateTimeOffset after)
    {
        var cursor = after;
        for (var i = 0; i < MaxExcluded; i++)
        {
            DateTimeOffset? next = null;
            foreach (var rule in _rules)
            {
                if (rule.Next(cursor) is { } time && (next is null || time < next))
                {
                    next = time;
                }
            }

            var index = Array.BinarySearch(_dates, cursor);
            index = index < 0 ? ~index : index + 1;
            if (index < _dates.Length && (next is null || _dates[index] < next))
            {
                next = _dates[index];
            }

            if (next is not { } candidate)
            {
                return null;
            }

            if (!_excludedDates.Contains(candidate) && !_exclusionRules.Any(rule => rule.Next(candidate.AddTicks(-1)) == candidate))
            {
                return candidate;
            }

            cursor = candidate;
        }

        return null;
    }

    private static string NoParameters(string[] parameters, string value) => parameters.Length == 1
        ? value
        : throw new FormatException($"{parameters[0]} takes no parameters ('{string.Join(';', parameters[1..])}')");

    private static string[] DateValues(string[] parameters, string value)
    {
        foreach (var parameter in parameters.Skip(1))
        {
            if (!parameter.Equals("VALUE=DATE-TIME", StringComparison.OrdinalIgnoreCase) && !parameter.Equals("VALUE=DATE", StringComparison.OrdinalIgnoreCase)
                && !parameter.StartsWith("TZID=", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException($"{parameters[0]} parameter '{parameter}' is not supported (VALUE=DATE-TIME, VALUE=DATE, TZID)");
            }
        }

        return value.Split(',', StringSplitOptions.RemoveEmptyEntries);
    }

    // A wall-clock date skipped by a daylight-saving jump does not occur.
    private static DateTimeOffset? Instant(string value, string part, TimeZoneInfo zone) =>
        ToInstant(RRuleSchedule.ParseTime(value.EndsWith('Z') ? value[..^1] : value, part), zone);
}
