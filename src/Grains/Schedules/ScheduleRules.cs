using System.Globalization;
using System.Text.Json;

namespace OrleansFlow.Grains.Schedules;

/// <summary>Reads schedules in Prefect's wire shape and decides which runs a schedule should have. Pure.</summary>
public static class ScheduleRules
{
    /// <summary>At least this many upcoming runs are kept (Prefect's default).</summary>
    public const int MinRuns = 3;

    /// <summary>At most this many upcoming runs are kept.</summary>
    public const int MaxRuns = 100;

    /// <summary>Runs are kept at least this far ahead.</summary>
    public static readonly TimeSpan MinAhead = TimeSpan.FromHours(1);

    /// <summary>Runs are never created further ahead than this.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(100);

    /// <summary>The shortest interval a schedule may have: 1 second.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest interval a schedule may have: 36,525 days (100 years).</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(36525);

    /// <summary>Parses a schedule object: <c>{"cron", "timezone", "day_or"}</c>, <c>{"interval" (seconds),
    /// "anchor_date", "timezone"}</c> or <c>{"rrule", "timezone"}</c>.</summary>
    /// <exception cref="FormatException">The object is not a schedule this server understands; the message says why.</exception>
    public static DeploymentSchedule Parse(JsonElement schedule)
    {
        if (schedule.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("a schedule must be an object");
        }

        var zoneName = schedule.TryGetProperty("timezone", out var tz) && tz.ValueKind == JsonValueKind.String ? tz.GetString() : null;
        var zone = DeploymentSchedule.FindZone(zoneName);
        if (schedule.TryGetProperty("cron", out var cron) && cron.ValueKind == JsonValueKind.String)
        {
            var dayOr = !schedule.TryGetProperty("day_or", out var or) || or.ValueKind != JsonValueKind.False;
            return new CronSchedule(CronExpression.Parse(cron.GetString()!, dayOr), zone);
        }

        if (schedule.TryGetProperty("interval", out var interval))
        {
            var seconds = interval.ValueKind switch
            {
                JsonValueKind.Number => interval.GetDouble(),
                JsonValueKind.String when TimeSpan.TryParse(interval.GetString(), CultureInfo.InvariantCulture, out var span) => span.TotalSeconds,
                _ => throw new FormatException("interval must be a number of seconds"),
            };
            if (seconds <= 0)
            {
                throw new FormatException("interval must be positive");
            }

            if (!(seconds >= MinInterval.TotalSeconds && seconds <= MaxInterval.TotalSeconds))
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                    $"interval must be between {MinInterval.TotalSeconds} and {MaxInterval.TotalSeconds} seconds (1 second to 100 years)"));
            }

            var anchor = schedule.TryGetProperty("anchor_date", out var a) && a.ValueKind == JsonValueKind.String
                ? DateTimeOffset.TryParse(a.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed
                    : throw new FormatException("anchor_date must be a date-time")
                : new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
            if (anchor.Year is < 1900 or > 2999)
            {
                throw new FormatException("anchor_date must be between the years 1900 and 2999");
            }

            return new IntervalSchedule(TimeSpan.FromSeconds(seconds), anchor, zone);
        }

        if (schedule.TryGetProperty("rrule", out var rrule))
        {
            return rrule.ValueKind == JsonValueKind.String
                ? RRuleSet.Parse(rrule.GetString()!, zone)
                : throw new FormatException("rrule must be a string");
        }

        throw new FormatException("a schedule needs 'cron', 'interval' or 'rrule'");
    }

    /// <summary>The due times a schedule should have runs for at <paramref name="now"/>: from now on, until there are
    /// at least <see cref="MinRuns"/> and they reach <see cref="MinAhead"/>, never more than <see cref="MaxRuns"/> nor
    /// beyond <see cref="MaxAhead"/>.</summary>
    public static IReadOnlyList<DateTimeOffset> Upcoming(DeploymentSchedule schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var times = new List<DateTimeOffset>();
        var cursor = now;
        while (times.Count < MaxRuns && schedule.Next(cursor) is { } next && next <= now + MaxAhead)
        {
            if (times.Count >= MinRuns && next > now + MinAhead)
            {
                break;
            }

            times.Add(next);
            cursor = next;
        }

        return times;
    }

    /// <summary>Prefect's idempotency key of an auto-scheduled run: <c>scheduled {deployment_id} {time}</c>.</summary>
    public static string IdempotencyKey(Guid deploymentId, DateTimeOffset time) =>
        string.Create(CultureInfo.InvariantCulture, $"scheduled {deploymentId} {time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'+00:00'}");
}
