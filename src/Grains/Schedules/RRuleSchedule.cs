using System.Globalization;

namespace OrleansFlow.Grains.Schedules;

/// <summary>An RFC 5545 recurrence rule on the wall clock of a time zone, as python-dateutil (Prefect's parser) reads it:
/// FREQ (YEARLY to SECONDLY), INTERVAL, COUNT, UNTIL, BYMONTH, BYWEEKNO (ISO weeks), BYYEARDAY, BYMONTHDAY, BYDAY (with
/// ordinals such as <c>-1FR</c> in monthly and yearly rules), BYHOUR, BYMINUTE, BYSECOND, BYSETPOS, WKST=MO, and a
/// DTSTART line (with TZID). <see cref="RRuleSet"/> combines rules with RDATE, EXDATE and EXRULE lines. Wall-clock times skipped by a daylight-saving jump do not occur; a time
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

    private int[]? BySecond { get; init; }

    private int[]? ByYearDay { get; init; }

    private int[]? ByWeekNo { get; init; }

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
        RRuleFrequency.Minutely => (long)(to - from).TotalMinutes,
        _ => (long)(to - from).TotalSeconds,
    };

    private DateTime PeriodStart(DateTime start, long periods) => Frequency switch
    {
        RRuleFrequency.Yearly => new DateTime(start.Year, 1, 1).AddYears((int)periods),
        RRuleFrequency.Monthly => new DateTime(start.Year, start.Month, 1).AddMonths((int)periods),
        RRuleFrequency.Weekly => WeekStart(start.Date).AddDays(7 * periods),
        RRuleFrequency.Daily => start.Date.AddDays(periods),
        RRuleFrequency.Hourly => new DateTime(start.Year, start.Month, start.Day, start.Hour, 0, 0).AddHours(periods),
        RRuleFrequency.Minutely => new DateTime(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0).AddMinutes(periods),
        _ => start.AddSeconds(periods),
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
                    foreach (var second in Seconds(anchor))
                    {
                        times.Add(day.AddHours(hour).AddMinutes(minute).AddSeconds(second));
                    }
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
        RRuleFrequency.Hourly or RRuleFrequency.Minutely or RRuleFrequency.Secondly => ByHour is null || ByHour.Contains(anchor.Hour) ? [anchor.Hour] : [],
        _ => ByHour ?? [Start.Hour],
    };

    private IEnumerable<int> Minutes(DateTime anchor) => Frequency switch
    {
        RRuleFrequency.Minutely or RRuleFrequency.Secondly => ByMinute is null || ByMinute.Contains(anchor.Minute) ? [anchor.Minute] : [],
        _ => ByMinute ?? [Start.Minute],
    };

    private IEnumerable<int> Seconds(DateTime anchor) => Frequency switch
    {
        RRuleFrequency.Secondly => BySecond is null || BySecond.Contains(anchor.Second) ? [anchor.Second] : [],
        _ => BySecond ?? [Start.Second],
    };

    /// <summary>The days of the period (at midnight) that pass every BYxxx day filter. As in dateutil, a rule with no
    /// day filter at all repeats DTSTART's day: its month and day (yearly), its day (monthly), its weekday (weekly).</summary>
    private IEnumerable<DateTime> Days(DateTime anchor)
    {
        var noDayFilter = ByWeekNo is null && ByYearDay is null && ByMonthDay is null && ByDay is null;
        var byMonth = ByMonth;
        var byMonthDay = ByMonthDay;
        var byDay = ByDay;
        if (noDayFilter)
        {
            switch (Frequency)
            {
                case RRuleFrequency.Yearly:
                    byMonth ??= [Start.Month];
                    byMonthDay = [Start.Day];
                    break;
                case RRuleFrequency.Monthly:
                    byMonthDay = [Start.Day];
                    break;
                case RRuleFrequency.Weekly:
                    byDay = [(0, Start.DayOfWeek)];
                    break;
            }
        }

        var (first, last) = Frequency switch
        {
            RRuleFrequency.Yearly => (new DateTime(anchor.Year, 1, 1), new DateTime(anchor.Year, 12, 31)),
            RRuleFrequency.Monthly => (anchor.Date, anchor.Date.AddMonths(1).AddDays(-1)),
            RRuleFrequency.Weekly => (anchor.Date, anchor.Date.AddDays(6)),
            _ => (anchor.Date, anchor.Date),
        };

        // BYDAY ordinals (e.g. -1FR) count within the month in monthly rules and in yearly rules with BYMONTH, else within the year.
        var ordinalsInMonth = Frequency == RRuleFrequency.Monthly || (Frequency == RRuleFrequency.Yearly && byMonth is not null);
        for (var date = first; date <= last; date = date.AddDays(1))
        {
            if ((byMonth is null || byMonth.Contains(date.Month))
                && (ByWeekNo is null || MatchesWeekNo(date))
                && (ByYearDay is null || MatchesYearDay(date))
                && (byMonthDay is null || MatchesMonthDay(date, byMonthDay))
                && (byDay is null || byDay.Any(d => d.Day == date.DayOfWeek && (d.Ordinal == 0 || Ordinal(date, ordinalsInMonth, d.Ordinal)))))
            {
                yield return date;
            }
        }
    }

    private static bool MatchesMonthDay(DateTime date, int[] byMonthDay)
    {
        var days = DateTime.DaysInMonth(date.Year, date.Month);
        return byMonthDay.Any(d => d > 0 ? d == date.Day : days + d + 1 == date.Day);
    }

    private bool MatchesYearDay(DateTime date)
    {
        var days = DateTime.IsLeapYear(date.Year) ? 366 : 365;
        return ByYearDay!.Any(d => d > 0 ? d == date.DayOfYear : days + d + 1 == date.DayOfYear);
    }

    // ISO 8601 weeks (WKST=MO, the only week start this server takes with BYWEEKNO): week 1 holds the year's first Thursday.
    private bool MatchesWeekNo(DateTime date)
    {
        var week = ISOWeek.GetWeekOfYear(date);
        var weeks = ISOWeek.GetWeeksInYear(ISOWeek.GetYear(date));
        return ByWeekNo!.Any(w => w > 0 ? w == week : weeks + w + 1 == week);
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
}
