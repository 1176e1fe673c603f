using Microsoft.Extensions.DependencyInjection;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Queries.History;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Ui.Tests;

/// <summary>The charts' queries on a real SQLite file and a real PostgreSQL database: runs made through the API on a
/// manual clock, so every bucket, duration and delay is known.</summary>
public sealed class RunHistoryQueriesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task HistoryQueries_Sqlite_CountAndRankRunsPerBucket()
    {
        using var files = new SqliteFiles();
        await CheckAsync(files.NewDatabase());
    }

    [Fact]
    public async Task HistoryQueries_Postgres_CountAndRankRunsPerBucket()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await CheckAsync(database.Options());
    }

    private static async Task CheckAsync(DatabaseOptions database)
    {
        var clock = new ManualClock(T0);
        await using var server = await InProcessServer.StartAsync(database, clock, options => options.BackgroundProcesses = false);
        var api = new ApiData(server.CreateClient());
        var flow = await api.FlowAsync("history-flow");
        var other = await api.FlowAsync("history-other");

        // Bucket 0 (10:00-11:00): three completed runs of 10, 20 and 30 s, each started 2 s after it was made, and one
        // run of another flow. Bucket 1: a failed run of 5 s and a running one with a failed and a completed task.
        var completed = new List<Guid>();
        foreach (var seconds in new[] { 30, 10, 20 })
        {
            clock.Set(T0 + TimeSpan.FromMinutes(5 + completed.Count));
            completed.Add(await RunAsync(api, clock, flow, 2, seconds, "COMPLETED"));
        }

        clock.Set(T0 + TimeSpan.FromMinutes(20));
        await RunAsync(api, clock, other, 1, 100, "COMPLETED");
        clock.Set(T0 + TimeSpan.FromMinutes(70));
        await RunAsync(api, clock, flow, 4, 5, "FAILED");
        clock.Set(T0 + TimeSpan.FromMinutes(80));
        var running = await api.FlowRunAsync(flow, "still-going", "PENDING");
        await api.SetFlowStateAsync(running, "RUNNING");
        var load = await api.TaskRunAsync(running, "load", "PENDING");
        clock.Advance(TimeSpan.FromSeconds(3));
        await api.SetTaskStateAsync(load, "RUNNING");
        clock.Advance(TimeSpan.FromSeconds(4));
        await api.SetTaskStateAsync(load, "FAILED");
        await api.TaskRunAsync(running, "extract", "COMPLETED");

        var queries = server.App.Services.GetRequiredService<RunHistoryQueries>();
        var window = new RunHistoryWindow(T0, TimeSpan.FromHours(1), 3);
        var ct = CancellationToken.None;

        var all = await queries.CountsAsync(window, RunHistoryScope.All, ct);
        Assert.Equal([4L, 2L, 0L], all.Select(b => b.Total));
        Assert.Equal(4, all[0].Counts[StateType.Completed]);
        Assert.Equal(T0 + TimeSpan.FromHours(1), all[1].Start);

        var mine = await queries.CountsAsync(window, new RunHistoryScope(FlowId: flow), ct);
        Assert.Equal(3, mine[0].Counts[StateType.Completed]);
        Assert.Equal(1, mine[1].Counts[StateType.Failed]);
        Assert.Equal(1, mine[1].Counts[StateType.Running]);
        Assert.Empty(mine[2].Counts);

        // Nearest rank: the median of 10, 20, 30 is 20 and the 95th percentile 30; a bucket of one run is that run.
        var durations = await queries.DurationsAsync(window, new RunHistoryScope(FlowId: flow), ct);
        Assert.Equal(3, durations[0].Runs);
        Assert.Equal(20, durations[0].P50Seconds!.Value, 3);
        Assert.Equal(30, durations[0].P95Seconds!.Value, 3);
        Assert.Equal(5, durations[1].P50Seconds!.Value, 3);
        Assert.Null(durations[2].P50Seconds);

        var lateness = await queries.LatenessAsync(window, new RunHistoryScope(FlowId: flow), ct);
        var expected = await DelayAsync(api, completed[0]);
        Assert.Equal(3, lateness[0].Runs);
        Assert.Equal(expected, lateness[0].P50Seconds!.Value, 3);
        Assert.Equal(2, lateness[1].Runs); // the failed run and the running one started

        var failing = await queries.MostFailingTasksAsync(flow, T0, 10, ct);
        var top = Assert.Single(failing);
        Assert.Equal(("load", 1L, 1L), (top.TaskKey, top.Failed, top.Total));

        var steps = await queries.TaskRunStepsAsync([load], ct);
        Assert.Equal([StateType.Pending, StateType.Running, StateType.Failed], steps.Select(s => s.Type));
        Assert.Equal(TimeSpan.FromSeconds(4), steps[2].Timestamp - steps[1].Timestamp);
    }

    /// <summary>A run made PENDING, started <paramref name="wait"/> s later, ended <paramref name="seconds"/> s after that.</summary>
    private static async Task<Guid> RunAsync(ApiData api, ManualClock clock, Guid flow, int wait, int seconds, string end)
    {
        var run = await api.FlowRunAsync(flow, "run-" + Guid.NewGuid().ToString("N")[..6], "PENDING");
        clock.Advance(TimeSpan.FromSeconds(wait));
        await api.SetFlowStateAsync(run, "RUNNING");
        clock.Advance(TimeSpan.FromSeconds(seconds));
        await api.SetFlowStateAsync(run, end);
        return run;
    }

    private static async Task<double> DelayAsync(ApiData api, Guid run)
    {
        var json = await api.FlowRunJsonAsync(run);
        var start = DateTimeOffset.Parse((string)json["start_time"]!, System.Globalization.CultureInfo.InvariantCulture);
        var expected = DateTimeOffset.Parse((string)json["expected_start_time"]!, System.Globalization.CultureInfo.InvariantCulture);
        return Math.Max(0, (start - expected).TotalSeconds);
    }
}
