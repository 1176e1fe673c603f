namespace OrleansFlow.Grains.Schedules;

/// <summary>A cron schedule evaluated on the wall clock of a time zone. Across daylight-saving changes it behaves as
/// a wall clock does: a time skipped by the spring jump does not fire, and a time that occurs twice in the autumn fires
/// once, at its first occurrence.</summary>
public sealed class CronSchedule(CronExpression expression, TimeZoneInfo zone) : DeploymentSchedule
{
    /// <summary>The expression.</summary>
    public CronExpression Expression { get; } = expression;

    /// <summary>The time zone of the wall clock.</summary>
    public TimeZoneInfo Zone { get; } = zone;

    /// <inheritdoc />
    public override DateTimeOffset? Next(DateTimeOffset after)
    {
        var start = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(after, Zone).DateTime).AddDays(-1);
        var times = Expression.TimesOfDay().ToList();
        for (var day = start; day < start.AddYears(5); day = day.AddDays(1))
        {
            if (!Expression.MatchesDay(day))
            {
                continue;
            }

            foreach (var time in times)
            {
                if (ToInstant(day.ToDateTime(time), Zone) is { } instant && instant > after)
                {
                    return instant;
                }
            }
        }

        return null;
    }
}
