using System.Net;
using OrleansFlow.Testing;

namespace OrleansFlow.Deployments.Tests;

/// <summary>Issue 11: RRULE schedules as dateutil's rrulestr reads them, 422 with the reason for what is not supported,
/// and the <c>auto-scheduled</c> tag on the runs the scheduler creates.</summary>
public sealed class ScheduleCompatibilityTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Deployment_RRuleWithBySecond_SchedulesAutoScheduledTaggedRuns(DatabaseKind database)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await Server.StartAsync(database, clock);
        var flow = await server.PostOkAsync("flows/", new { name = "rrule-bysecond" });
        var deployment = (await server.PostOkAsync("deployments/", new
        {
            name = "weekly",
            flow_id = flow["id"]!.GetValue<string>(),
            tags = new[] { "team-a" },
            schedule = new { rrule = "FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=8;BYMINUTE=30;BYSECOND=0", timezone = "UTC" },
        }))["id"]!.GetValue<string>();
        var manual = await server.PostOkAsync($"deployments/{deployment}/create_flow_run", new { });

        var runs = (await server.PostOkAsync("flow_runs/filter", new
        {
            deployments = new { id = new { any_ = new[] { deployment } } },
            flow_runs = new { tags = new { all_ = new[] { "auto-scheduled" } } },
            sort = "EXPECTED_START_TIME_ASC",
        })).AsArray();

        DateTimeOffset[] expected = [new(2026, 3, 2, 8, 30, 0, TimeSpan.Zero), new(2026, 3, 4, 8, 30, 0, TimeSpan.Zero), new(2026, 3, 9, 8, 30, 0, TimeSpan.Zero)];
        Assert.Equal(expected, runs.Select(r => r!["expected_start_time"]!.GetValue<DateTimeOffset>()));
        Assert.All(runs, run => Assert.Equal("""["auto-scheduled","team-a"]""", run!["tags"]!.ToJsonString()));
        Assert.Equal("""["team-a"]""", manual["tags"]!.ToJsonString());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Deployment_RRuleSetWithExdate_SkipsTheExcludedDate(DatabaseKind database)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await Server.StartAsync(database, clock);
        var deployment = await server.CreateDeploymentAsync(schedule: new
        {
            rrule = "DTSTART:20260301T090000\nRRULE:FREQ=DAILY;COUNT=4\nEXDATE:20260302T090000\nRDATE:20260301T120000",
            timezone = "UTC",
        });

        var runs = (await server.PostOkAsync("flow_runs/filter", new
        {
            deployments = new { id = new { any_ = new[] { deployment } } },
            sort = "EXPECTED_START_TIME_ASC",
        })).AsArray();

        DateTimeOffset[] expected = [new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero), new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), new(2026, 3, 3, 9, 0, 0, TimeSpan.Zero)];
        Assert.Equal(expected, runs.Select(r => r!["expected_start_time"]!.GetValue<DateTimeOffset>()).Take(3));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Deployment_SchedulesListOf216Clients_EveryActiveScheduleMakesRuns(DatabaseKind database)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await Server.StartAsync(database, clock);
        var flow = (await server.PostOkAsync("flows/", new { name = "served-flow" }))["id"]!.GetValue<string>();
        object Entry(int seconds, bool active, int minute = 0) => new
        {
            schedule = new { interval = seconds, anchor_date = $"2026-01-01T00:{minute:00}:00+00:00", timezone = "UTC" },
            active,
            max_active_runs = (int?)null,
            catchup = false,
        };

        // flow.serve(interval=3600) in 2.20 sends the schedule in "schedules", not "schedule".
        var deployment = (await server.PostOkAsync("deployments/", new
        {
            name = "served",
            flow_id = flow,
            schedules = new[] { Entry(3600, true), Entry(60, false) },
            enforce_parameter_schema = false,
        }))["id"]!.GetValue<string>();
        var (twoActive, body) = await server.SendAsync(HttpMethod.Post, "deployments/",
            new { name = "two", flow_id = flow, schedules = new[] { Entry(3600, true), Entry(3600, true, minute: 15) } });
        var (updated, _) = await server.SendAsync(HttpMethod.Patch, $"deployments/{deployment}", new { schedules = new[] { Entry(1800, true) } });

        var stored = await server.GetOkAsync($"deployments/{deployment}");
        Assert.Equal(HttpStatusCode.Created, twoActive);
        Assert.Equal(2, body!["schedules"]!.AsArray().Count);
        var both = (await server.PostOkAsync("flow_runs/filter", new
        {
            deployments = new { id = new { any_ = new[] { body["id"]!.GetValue<string>() } } },
            sort = "EXPECTED_START_TIME_ASC",
        })).AsArray().Select(r => r!["expected_start_time"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Contains(new DateTimeOffset(2026, 5, 1, 1, 0, 0, TimeSpan.Zero), both);
        Assert.Contains(new DateTimeOffset(2026, 5, 1, 1, 15, 0, TimeSpan.Zero), both);
        Assert.Equal(HttpStatusCode.NoContent, updated);
        Assert.Equal(1800, stored["schedule"]!["interval"]!.GetValue<double>());
        var runs = (await server.PostOkAsync("flow_runs/filter", new
        {
            deployments = new { id = new { any_ = new[] { deployment } } },
            sort = "EXPECTED_START_TIME_ASC",
        })).AsArray();
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 0, 30, 0, TimeSpan.Zero), runs[0]!["expected_start_time"]!.GetValue<DateTimeOffset>());
        Assert.All(runs, run => Assert.Equal("""["auto-scheduled"]""", run!["tags"]!.ToJsonString()));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite, "FREQ=YEARLY;BYEASTER=0", "BYEASTER")]
    [InlineData(DatabaseKind.Postgres, "FREQ=YEARLY;BYEASTER=0", "BYEASTER")]
    [InlineData(DatabaseKind.Sqlite, "FREQ=YEARLY;BYWEEKNO=3;WKST=SU", "WKST")]
    [InlineData(DatabaseKind.Sqlite, "FREQ=DAILY\nEXDATE;X-FOO=1:20260101T000000", "X-FOO")]
    public async Task Deployment_UnsupportedRRule_Answers422WithTheReason(DatabaseKind database, string rrule, string named)
    {
        await using var server = await Server.StartAsync(database);
        var flow = await server.PostOkAsync("flows/", new { name = "rrule-bad" });

        var (status, body) = await server.SendAsync(HttpMethod.Post, "deployments/", new { name = "bad", flow_id = flow["id"]!.GetValue<string>(), schedule = new { rrule } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var text = body!.ToJsonString();
        Assert.Contains("schedule", text, StringComparison.Ordinal);
        Assert.Contains(named, text, StringComparison.Ordinal);
        Assert.Equal(0, (await server.PostOkAsync("deployments/count", new { })).GetValue<long>());
    }
}
