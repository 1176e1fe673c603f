namespace OrleansFlow.Grains.Schedules;

/// <summary>An RFC 5545 recurrence rule on the wall clock of a time zone: FREQ (YEARLY to MINUTELY), INTERVAL, COUNT,
/// UNTIL, BYMONTH, BYMONTHDAY, BYDAY (with ordinals such as <c>-1FR</c> in monthly and yearly rules), BYHOUR, BYMINUTE,
/// BYSETPOS, and a DTSTART line (with TZID). Wall-clock times skipped by a daylight-saving jump do not occur; a time
/// that occurs twice occurs once, at its first instant.</summary>
public sealed partial class RRuleSchedule : DeploymentSchedule
{
    private const int MaxPeriods = 2_000_000;

    private RRuleSchedule(RRuleFrequency frequency, DateTime start, TimeZoneInfo zone)
    {
        Frequency = frequency;
        Start = start;
        Zone = zone;
    }

    /// <summary>The frequency.</summary>
    public RRuleFrequency Frequency { get; }

    /// <summary>The first occurrence's wall-clock time (DTSTART).</summary>
    public DateTime Start { get; }

    /// <summary>The time zone of the wall clock.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>Periods between occurrences (INTERVAL, default 1).</summary>
    public int Interval { get; private init; } = 1;

    /// <summary>How many occurrences there are at most (COUNT).</summary>
    public int? Count { get; private init; }

    /// <summary>The last instant an occurrence may have (UNTIL).</summary>
    public DateTimeOffset? Until { get; private init; }

    private int[]? ByMonth { get; init; }

    private int[]? ByMonthDay { get; init; }

    private (int Ordinal, DayOfWeek Day)[]? ByDay { get; init; }

    private int[]? ByHour { get; init; }

    private int[]? ByMinute { get; init; }

    private int[]? BySetPos { get; init; }

    /// <inheritdoc />
    public override DateTimeOffset? Next(DateTimeOffset after)
    {
        var local = TimeZoneInfo.ConvertTime(after, Zone).DateTime;
        var horizon = local.AddYears(10);
        var firstPeriod = 0L;
        if (Count is null)
        {
            // Without COUNT the periods before the one holding `after` cannot matter: start one period earlier.
            firstPeriod = Math.Max(0, PeriodsBetween(Start, local) / Interval - 1);
        }

        var seen = 0;
        for (var period = firstPeriod; period < firstPeriod + MaxPeriods; period++)
        {
            var anchor = PeriodStart(Start, period * Interval);
            if (anchor > horizon)
            {
                return null;
            }

            if (Until is { } until && ToInstant(anchor, Zone) is { } periodStart && periodStart > until && anchor > Start)
            {
                return null;
            }

            foreach (var time in Occurrences(anchor))
            {
                if (time < Start || ToInstant(time, Zone) is not { } instant)
                {
                    continue;
                }

                if (Until is { } last && instant > last)
                {
                    return null;
                }

                seen++;
                if (Count is { } count && seen > count)
                {
                    return null;
                }

                if (instant > after)
                {
                    return instant;
                }
            }
        }

        return null;
    }

    private long PeriodsBetween(DateTime from, DateTime to) => Frequency switch
    {
        RRuleFrequency.Yearly => to.Year - from.Year,
        RRuleFrequency.Monthly => ((to.Year - from.Year) * 12) + to.Month - from.Month,
        RRuleFrequency.Weekly => (WeekStart(to.Date) - WeekStart(from.Date)).Days / 7,
        RRuleFrequency.Daily => (to.Date - from.Date).Days,
        RRuleFrequency.Hourly => (long)(to - from).TotalHours,
        _ => (long)(to - from).TotalMinutes,
    };

    private DateTime PeriodStart(DateTime start, long periods) => Frequency switch
    {
        RRuleFrequency.Yearly => new DateTime(start.Year, 1, 1).AddYears((int)periods),
        RRuleFrequency.Monthly => new DateTime(start.Year, start.Month, 1).AddMonths((int)periods),
        RRuleFrequency.Weekly => WeekStart(start.Date).AddDays(7 * periods),
        RRuleFrequency.Daily => start.Date.AddDays(periods),
        RRuleFrequency.Hourly => new DateTime(start.Year, start.Month, start.Day, start.Hour, 0, 0).AddHours(periods),
        _ => new DateTime(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0).AddMinutes(periods),
    };

    private static DateTime WeekStart(DateTime date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    /// <summary>The occurrences of the period starting at <paramref name="anchor"/>, in order, after BYSETPOS.</summary>
    private List<DateTime> Occurrences(DateTime anchor)
    {
        var times = new List<DateTime>();
        foreach (var day in Days(anchor))
        {
            foreach (var hour in Hours(anchor))
            {
                foreach (var minute in Minutes(anchor))
                {
                    times.Add(day.AddHours(hour).AddMinutes(minute).AddSeconds(Start.Second));
                }
            }
        }

        times.Sort();
        if (BySetPos is null)
        {
            return times;
        }

        var picked = new SortedSet<DateTime>();
        foreach (var position in BySetPos)
        {
            var index = position > 0 ? position - 1 : times.Count + position;
            if (index >= 0 && index < times.Count)
            {
                picked.Add(times[index]);
            }
        }

        return [.. picked];
    }

    private IEnumerable<int> Hours(DateTime anchor) => Frequency switch
    {
        RRuleFrequency.Hourly or RRuleFrequency.Minutely => ByHour is null || ByHour.Contains(anchor.Hour) ? [anchor.Hour] : [],
        _ => ByHour ?? [Start.Hour],
    };

    private IEnumerable<int> Minutes(DateTime anchor) => Frequency switch
    {
        RRuleFrequency.Minutely => ByMinute is null || ByMinute.Contains(anchor.Minute) ? [anchor.Minute] : [],
        _ => ByMinute ?? [Start.Minute],
    };

    /// <summary>The days of the period (at midnight).</summary>
    private IEnumerable<DateTime> Days(DateTime anchor)
    {
        switch (Frequency)
        {
            case RRuleFrequency.Yearly:
                if (ByDay is null && ByMonthDay is null)
                {
                    return (ByMonth ?? [Start.Month]).Order().Select(m => SafeDate(anchor.Year, m, Start.Day)).OfType<DateTime>();
                }

                if (ByMonth is null && ByMonthDay is null)
                {
                    // BYDAY ordinals count within the year.
                    return DaysMatching(new DateTime(anchor.Year, 1, 1), new DateTime(anchor.Year, 12, 31), ordinalsInMonth: false);
                }

                return (ByMonth ?? Enumerable.Range(1, 12).ToArray()).Order()
                    .SelectMany(m => DaysMatching(new DateTime(anchor.Year, m, 1), new DateTime(anchor.Year, m, DateTime.DaysInMonth(anchor.Year, m)), ordinalsInMonth: true));
            case RRuleFrequency.Monthly:
                if (ByMonth is not null && !ByMonth.Contains(anchor.Month))
                {
                    return [];
                }

                return ByDay is null && ByMonthDay is null
                    ? SafeDate(anchor.Year, anchor.Month, Start.Day) is { } day ? [day] : []
                    : DaysMatching(anchor, anchor.AddMonths(1).AddDays(-1), ordinalsInMonth: true);
            case RRuleFrequency.Weekly:
                var days = Enumerable.Range(0, 7).Select(i => anchor.AddDays(i));
                var weekdays = ByDay?.Select(d => d.Day).ToHashSet() ?? [Start.DayOfWeek];
                return days.Where(d => weekdays.Contains(d.DayOfWeek) && (ByMonth is null || ByMonth.Contains(d.Month)));
            default:
                var date = anchor.Date;
                return Filters(date) ? [date] : [];
        }
    }

    private bool Filters(DateTime date) =>
        (ByMonth is null || ByMonth.Contains(date.Month))
        && (ByMonthDay is null || MatchesMonthDay(date))
        && (ByDay is null || ByDay.Any(d => d.Day == date.DayOfWeek));

    private bool MatchesMonthDay(DateTime date)
    {
        var days = DateTime.DaysInMonth(date.Year, date.Month);
        return ByMonthDay!.Any(d => d > 0 ? d == date.Day : days + d + 1 == date.Day);
    }

    private IEnumerable<DateTime> DaysMatching(DateTime first, DateTime last, bool ordinalsInMonth)
    {
        for (var date = first; date <= last; date = date.AddDays(1))
        {
            if (ByMonth is not null && !ByMonth.Contains(date.Month))
            {
                continue;
            }

            if (ByMonthDay is not null && !MatchesMonthDay(date))
            {
                continue;
            }

            if (ByDay is not null && !ByDay.Any(d => d.Day == date.DayOfWeek && (d.Ordinal == 0 || Ordinal(date, ordinalsInMonth, d.Ordinal))))
            {
                continue;
            }

            yield return date;
        }
    }

    /// <summary>True when <paramref name="date"/> is the <paramref name="ordinal"/>-th (negative: from the end) of its
    /// weekday in its month (or year).</summary>
    private static bool Ordinal(DateTime date, bool inMonth, int ordinal)
    {
        var first = inMonth ? new DateTime(date.Year, date.Month, 1) : new DateTime(date.Year, 1, 1);
        var last = inMonth ? first.AddMonths(1).AddDays(-1) : new DateTime(date.Year, 12, 31);
        return ordinal > 0
            ? (date - first).Days / 7 + 1 == ordinal
            : (last - date).Days / 7 + 1 == -ordinal;
    }

    private static DateTime? SafeDate(int year, int month, int day) =>
        day <= DateTime.DaysInMonth(year, month) ? new DateTime(year, month, day) : null;
}
