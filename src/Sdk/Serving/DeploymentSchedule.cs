using System.Text.Json.Nodes;

namespace OrleansFlow;

/// <summary>When a deployment's runs are due, in the shape the server stores (Prefect 2's schedules): a cron expression,
/// a fixed interval from an anchor, or an RFC 5545 RRULE, each evaluated in a time zone.</summary>
/// <example><code>
/// DeploymentSchedule.Cron("0 3 * * *", "Europe/Paris");
/// DeploymentSchedule.Every(TimeSpan.FromMinutes(15));
/// DeploymentSchedule.RRule("DTSTART;TZID=Europe/Paris:20260101T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR");
/// </code></example>
public sealed class DeploymentSchedule
{
    private readonly JsonObject _json;

    private DeploymentSchedule(JsonObject json) => _json = json;

    /// <summary>A cron schedule: 5 fields (or an alias such as <c>@daily</c>) on the wall clock of <paramref name="timezone"/>
    /// (an IANA name; default UTC). With <paramref name="dayOr"/> false, a restricted day-of-month AND day-of-week must both match.</summary>
    public static DeploymentSchedule Cron(string expression, string? timezone = null, bool dayOr = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        var json = new JsonObject { ["cron"] = expression, ["day_or"] = dayOr };
        if (timezone is not null)
        {
            json["timezone"] = timezone;
        }

        return new(json);
    }

    /// <summary>A run every <paramref name="interval"/> (at least one second) counted from <paramref name="anchor"/> (default
    /// 2020-01-01 UTC), in <paramref name="timezone"/> (whole-day intervals keep the wall-clock time across DST changes).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval is shorter than one second.</exception>
    public static DeploymentSchedule Every(TimeSpan interval, DateTimeOffset? anchor = null, string? timezone = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromSeconds(1));
        var json = new JsonObject { ["interval"] = interval.TotalSeconds };
        if (anchor is { } a)
        {
            json["anchor_date"] = a.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        }

        if (timezone is not null)
        {
            json["timezone"] = timezone;
        }

        return new(json);
    }

    /// <summary>An RFC 5545 recurrence rule, e.g. <c>"DTSTART;TZID=Europe/Paris:20260101T090000\nRRULE:FREQ=DAILY;BYHOUR=9"</c>.</summary>
    public static DeploymentSchedule RRule(string rule, string? timezone = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rule);
        var json = new JsonObject { ["rrule"] = rule };
        if (timezone is not null)
        {
            json["timezone"] = timezone;
        }

        return new(json);
    }

    /// <summary>The schedule as the API's JSON (<c>{"cron": ...}</c>, <c>{"interval": ...}</c> or <c>{"rrule": ...}</c>); a new
    /// object on every call.</summary>
    public JsonObject ToJson() => (JsonObject)_json.DeepClone();

    /// <inheritdoc/>
    public override string ToString() => _json.ToJsonString();
}
