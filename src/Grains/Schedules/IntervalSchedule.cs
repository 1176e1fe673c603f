namespace OrleansFlow.Grains.Schedules;

/// <summary>Every <see cref="Interval"/> from <see cref="Anchor"/>. An interval of whole days in a time zone keeps the
/// anchor's wall-clock time across daylight-saving changes (as Prefect does); other intervals are exact durations.</summary>
public sealed class IntervalSchedule : DeploymentSchedule
{
    /// <summary>A schedule every <paramref name="interval"/> from <paramref name="anchor"/> in <paramref name="zone"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval is not positive.</exception>
    public IntervalSchedule(TimeSpan interval, DateTimeOffset anchor, TimeZoneInfo zone)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Interval = interval;
        Anchor = anchor;
        Zone = zone;
    }

    /// <summary>The time between runs.</summary>
    public TimeSpan Interval { get; }

    /// <summary>A time the schedule passes through.</summary>
    public DateTimeOffset Anchor { get; }

    /// <summary>The time zone of day-long intervals.</summary>
    public TimeZoneInfo Zone { get; }

    /// <inheritdoc />
    public override DateTimeOffset? Next(DateTimeOffset after)
    {
        if (Interval.Ticks % TimeSpan.TicksPerDay == 0 && Zone != TimeZoneInfo.Utc)
        {
            var days = (int)(Interval.Ticks / TimeSpan.TicksPerDay);
            var anchorLocal = TimeZoneInfo.ConvertTime(Anchor, Zone).DateTime;
            var afterLocal = TimeZoneInfo.ConvertTime(after, Zone).DateTime;
            var steps = (long)Math.Floor((afterLocal - anchorLocal).TotalDays / days) - 1;
            for (var k = steps; ; k++)
            {
                var local = anchorLocal.AddDays(k * days);
                if (ToInstant(local, Zone) is { } instant && instant > after)
                {
                    return instant;
                }
            }
        }

        var elapsed = after - Anchor;
        var n = (long)Math.Floor((double)elapsed.Ticks / Interval.Ticks) + 1;
        var next = Anchor + TimeSpan.FromTicks(n * Interval.Ticks);
        return next > after ? next : next + Interval;
    }
}
