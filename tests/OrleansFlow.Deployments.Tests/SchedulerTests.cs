using System.Net;
using OrleansFlow.Grains.Deployments;
using OrleansFlow.Testing;

namespace OrleansFlow.Deployments.Tests;

/// <summary>Deployments' schedules: each scheduled deployment's grain holds an Orleans reminder that creates its upcoming
/// runs. Most tests refresh the grain by hand on a <see cref="ManualClock"/> (their reminders never fire on their own,
/// see <see cref="Server.QuietSchedulePeriod"/>); the Reminder_ tests give the reminders a one-second period and wait
/// for what they do.</summary>
public sealed class SchedulerTests
{
    private static readonly TimeSpan FastPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static IDeploymentGrain Grain(Server server, string deploymentId) => server.Silo.Deployment(Guid.Parse(deploymentId));

    private static async Task<List<(DateTimeOffset Due, string Key, bool Auto)>> ScheduledRunsAsync(Server server, string deploymentId)
    {
        var runs = await server.PostOkAsync("flow_runs/filter", new
        {
            deployments = new { id = new { any_ = new[] { deploymentId } } },
            sort = "EXPECTED_START_TIME_ASC",
        });
        return [.. runs.AsArray().Select(r => (
            r!["expected_start_time"]!.GetValue<DateTimeOffset>(),
            r["idempotency_key"]!.GetValue<string>(),
            r["auto_scheduled"]!.GetValue<bool>()))];
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Scheduler_CronAcrossSpringForward_CreatesExactlyTheWallClockRunsOnce(DatabaseKind database)
    {
        // 02:30 New York does not exist on 2026-03-08 (clocks jump from 02:00 EST to 03:00 EDT).
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 6, 12, 0, 0, TimeSpan.Zero));
        await using var server = await Server.StartAsync(database, clock);
        var deployment = await server.CreateDeploymentAsync(schedule: new { cron = "30 2 * * *", timezone = "America/New_York" });
        var scheduler = Grain(server, deployment);

        // Creating the deployment already scheduled it and registered its reminder; a refresh adds nothing.
        Assert.True(await scheduler.HasReminderAsync());
        Assert.Equal(0, await scheduler.RefreshAsync());
        var runs = await ScheduledRunsAsync(server, deployment);
        DateTimeOffset[] expected =
        [
            new(2026, 3, 7, 7, 30, 0, TimeSpan.Zero),
            new(2026, 3, 9, 6, 30, 0, TimeSpan.Zero),
            new(2026, 3, 10, 6, 30, 0, TimeSpan.Zero),
        ];
        Assert.Equal(expected, runs.Select(r => r.Due));
        Assert.All(runs, r => Assert.True(r.Auto));
        Assert.Equal($"scheduled {deployment} 2026-03-07T07:30:00+00:00", runs[0].Key);

        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await scheduler.RefreshAsync());
        Assert.Equal(0, await scheduler.RefreshAsync());
        runs = await ScheduledRunsAsync(server, deployment);
        Assert.Equal([.. expected, new DateTimeOffset(2026, 3, 11, 6, 30, 0, TimeSpan.Zero)], runs.Select(r => r.Due));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Scheduler_ScheduleChangedOrPaused_ReplacesFutureRuns(DatabaseKind database)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await Server.StartAsync(database, clock);
        var deployment = await server.CreateDeploymentAsync(schedule: new { interval = 3600, anchor_date = "2026-01-01T00:00:00Z" });
        var scheduler = Grain(server, deployment);
        Assert.Equal(0, await scheduler.RefreshAsync());
        var hourly = await ScheduledRunsAsync(server, deployment);
        Assert.Equal(3, hourly.Count);
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 1, 0, 0, TimeSpan.Zero), hourly[0].Due);

        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Patch, $"deployments/{deployment}",
            new { schedule = new { interval = 600, anchor_date = "2026-01-01T00:00:00Z" } })).Status);
        var tenMinutes = await ScheduledRunsAsync(server, deployment);
        Assert.Equal(6, tenMinutes.Count);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => clock.GetUtcNow().AddMinutes(10 * i)), tenMinutes.Select(r => r.Due));

        // Pausing drops the reminder and the future runs; a refresh of a paused deployment makes none.
        await server.PostOkAsync($"deployments/{deployment}/set_schedule_inactive");
        Assert.Empty(await ScheduledRunsAsync(server, deployment));
        Assert.False(await scheduler.HasReminderAsync());
        Assert.Equal(0, await scheduler.RefreshAsync());
        Assert.False(await scheduler.HasReminderAsync());
        await server.PostOkAsync($"deployments/{deployment}/set_schedule_active");
        Assert.Equal(6, (await ScheduledRunsAsync(server, deployment)).Count);
        Assert.True(await scheduler.HasReminderAsync());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Scheduler_RRuleWithTzid_CreatesTheRuleOccurrences(DatabaseKind database)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await Server.StartAsync(database, clock);
        var deployment = await server.CreateDeploymentAsync(schedule: new
        {
            rrule = "DTSTART;TZID=America/New_York:20260302T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TH;COUNT=4",
        });

        Assert.Equal(0, await Grain(server, deployment).RefreshAsync());
        DateTimeOffset[] expected =
        [
            new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero),
            new(2026, 3, 5, 14, 0, 0, TimeSpan.Zero),
            new(2026, 3, 9, 13, 0, 0, TimeSpan.Zero),
        ];
        Assert.Equal(expected, (await ScheduledRunsAsync(server, deployment)).Select(r => r.Due));
    }

    [Fact]
    public async Task Scheduler_DeploymentWhosePoolWasDeleted_SkippedWhileOthersAreScheduled()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await Server.StartAsync(DatabaseKind.Sqlite, clock);
        var orphan = await server.CreateDeploymentAsync("doomed", schedule: new { interval = 3600 });
        var healthy = await server.CreateDeploymentAsync(schedule: new { interval = 3600 });
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Delete, "work_pools/doomed")).Status);

        clock.Advance(TimeSpan.FromHours(5));

        // No backfill: the healthy deployment gets 06:00, 07:00 and 08:00; the orphan nothing, and its refresh does not fail.
        Assert.Equal(0, await Grain(server, orphan).RefreshAsync());
        Assert.Equal(3, await Grain(server, healthy).RefreshAsync());
        Assert.Equal(6, (await ScheduledRunsAsync(server, healthy)).Count);
        Assert.Equal(3, (await ScheduledRunsAsync(server, orphan)).Count);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task LateRuns_ScheduledRun16SecondsPastDue_RenamedLateOnce(DatabaseKind database)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await Server.StartAsync(database, clock);
        var deployment = await server.CreateDeploymentAsync("late");
        var run = await server.CreateRunAsync(deployment, clock.GetUtcNow());
        var housekeeper = server.Silo.Housekeeper;

        clock.Advance(TimeSpan.FromSeconds(14));
        Assert.Equal(0, await housekeeper.SweepAsync());
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await housekeeper.SweepAsync());
        Assert.Equal(0, await housekeeper.SweepAsync());
        var stored = await server.GetOkAsync($"flow_runs/{run}");
        Assert.Equal("SCHEDULED", stored["state_type"]!.GetValue<string>());
        Assert.Equal("Late", stored["state_name"]!.GetValue<string>());

        // A late run is still handed to a worker and may start.
        var handed = await server.PostOkAsync("work_pools/late/get_scheduled_flow_runs", new { });
        Assert.Equal([run], Server.Ids(handed, "flow_run"));
        var pending = await server.PostOkAsync($"flow_runs/{run}/set_state", new { state = new { type = "PENDING" } });
        Assert.Equal("ACCEPT", pending["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Housekeeper_TwoServersOnPostgres_AreOneClusterWithOneHousekeeper()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        await using var first = await Server.StartAsync(DatabaseKind.Postgres, clock);
        await using var second = await InProcessServer.StartAsync(first.Database, clock, options => options.BackgroundProcesses = false);
        var deployment = await first.CreateDeploymentAsync("housekeeper");
        var run = await first.CreateRunAsync(deployment, clock.GetUtcNow().AddSeconds(-20));

        // Either server reaches the one housekeeper activation of the cluster: a run is marked late once.
        Assert.Equal(1, await second.Silo.Housekeeper.SweepAsync());
        Assert.Equal(0, await first.Silo.Housekeeper.SweepAsync());
        Assert.Equal("Late", (await first.GetOkAsync($"flow_runs/{run}"))["state_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Housekeeper_StartedByTheServer_MarksALateRunByItself()
    {
        // The real clock: the server's housekeeper sweeps every 5 s on its own timer.
        await using var server = await Server.StartAsync(DatabaseKind.Sqlite, backgroundProcesses: true);
        var deployment = await server.CreateDeploymentAsync("timer");
        var run = await server.CreateRunAsync(deployment, DateTimeOffset.UtcNow.AddSeconds(-30));
        await Poll.UntilAsync(async () => (await server.GetOkAsync($"flow_runs/{run}"))["state_name"]!.GetValue<string>() == "Late",
            TimeSpan.FromSeconds(60), "the housekeeper to mark the run late");
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Reminder_FiresEverySchedulePeriod_CreatesTheComingRunsAndForgetsDeletedDeployments(DatabaseKind database)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await Server.StartAsync(database, clock, FastPeriod);
        var hourly = new { interval = 3600, anchor_date = "2026-01-01T00:00:00Z" };
        var deployments = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            deployments.Add(await server.CreateDeploymentAsync(schedule: hourly, name: $"hourly-{i}"));
        }

        // Creation scheduled 01:00, 02:00 and 03:00. An hour later the reminders alone (no call) add 04:00.
        clock.Advance(TimeSpan.FromHours(1));
        await UntilEachHasAsync(server, deployments, 4);

        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Delete, $"deployments/{deployments[0]}")).Status);
        Assert.False(await Grain(server, deployments[0]).HasReminderAsync());
        Assert.Empty(await ScheduledRunsAsync(server, deployments[0]));

        clock.Advance(TimeSpan.FromHours(1));
        await UntilEachHasAsync(server, deployments[1..], 5);
        Assert.Empty(await ScheduledRunsAsync(server, deployments[0]));
        Assert.False(await Grain(server, deployments[0]).HasReminderAsync());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Reminder_TwoServersOnOneDatabase_EachTimeGetsOneRun(DatabaseKind database)
    {
        // On SQLite each server is a cluster of its own and both fire every reminder; on PostgreSQL they form one
        // cluster and the reminders move between them as the ring changes. Either way the idempotency keys keep one run
        // per time.
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await Server.StartAsync(database, clock, FastPeriod);
        var deployments = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            deployments.Add(await server.CreateDeploymentAsync(schedule: new { interval = 600, anchor_date = "2026-01-01T00:00:00Z" }, name: $"shared-{i}"));
        }

        await using var other = await server.StartAnotherAsync();
        for (var hour = 1; hour <= 3; hour++)
        {
            clock.Advance(TimeSpan.FromHours(1));
            await UntilEachHasAsync(server, deployments, 6 + 6 * hour);
        }

        foreach (var deployment in deployments)
        {
            var runs = await ScheduledRunsAsync(server, deployment);
            Assert.Equal(runs.Count, runs.Select(r => r.Due).Distinct().Count());
            Assert.Equal(runs.Count, runs.Select(r => r.Key).Distinct(StringComparer.Ordinal).Count());
        }
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Bootstrap_DeploymentWithoutReminder_GetsItBackWhenTheServerStarts(DatabaseKind database)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await Server.StartAsync(database, clock);
        var scheduled = await server.CreateDeploymentAsync(schedule: new { interval = 3600 }, name: "scheduled");
        var paused = await server.CreateDeploymentAsync(schedule: new { interval = 3600 }, name: "paused");
        await server.PostOkAsync($"deployments/{paused}/set_schedule_inactive");

        // What a deployment made before its schedule was a reminder looks like: no reminder row.
        Assert.Equal(1, await server.ExecuteSqlAsync("DELETE FROM orleans_reminders", "DELETE FROM OrleansRemindersTable"));
        Assert.False(await Grain(server, scheduled).HasReminderAsync());
        await server.RestartAsync();

        Assert.True(await Grain(server, scheduled).HasReminderAsync());
        Assert.False(await Grain(server, paused).HasReminderAsync());
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await Grain(server, scheduled).RefreshAsync());
    }

    private static Task UntilEachHasAsync(Server server, IReadOnlyList<string> deployments, int runs) =>
        Poll.UntilAsync(async () =>
        {
            foreach (var deployment in deployments)
            {
                if ((await ScheduledRunsAsync(server, deployment)).Count < runs)
                {
                    return false;
                }
            }

            return true;
        }, Deadline, $"each deployment to have {runs} runs");
}
