using System.Net;
using OrleansFlow.Silo.Background;
using OrleansFlow.Testing;

namespace OrleansFlow.Deployments.Tests.Reaper;

/// <summary>Flow-run heartbeats and the crashed-run reaper (default timeout 90 s), with a manual clock.</summary>
public sealed class ReaperTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static async Task<string> CreateFlowAsync(Server server) =>
        (await server.PostOkAsync("flows/", new { name = "flow-" + Guid.NewGuid().ToString("N")[..8] }))["id"]!.GetValue<string>();

    /// <summary>A RUNNING flow run that sent one heartbeat (when <paramref name="heartbeat"/>).</summary>
    private static async Task<string> RunningFlowRunAsync(Server server, string flowId, bool heartbeat = true)
    {
        var run = await server.PostOkAsync("flow_runs/", new { flow_id = flowId, state = new { type = "PENDING" } });
        var id = run["id"]!.GetValue<string>();
        await SetStateAsync(server, $"flow_runs/{id}", "RUNNING");
        if (heartbeat)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Post, $"flow_runs/{id}/heartbeat")).Status);
        }

        return id;
    }

    private static async Task SetStateAsync(Server server, string run, string type)
    {
        var result = await server.PostOkAsync($"{run}/set_state", new { state = new { type } });
        Assert.Equal("ACCEPT", result["status"]!.GetValue<string>());
    }

    private static async Task<string> StateOfAsync(Server server, string run) =>
        (await server.GetOkAsync(run))["state"]!["type"]!.GetValue<string>();

    private static async Task<int> SlotsAsync(Server server, string tag) =>
        (await server.GetOkAsync($"concurrency_limits/tag/{tag}"))["active_slots"]!.AsArray().Count;

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Reaper_SilentRunCrashesAndReleasesItsSlots_HeartbeatingAndCompletedRunsUntouched(DatabaseKind database)
    {
        var clock = new ManualClock(Start);
        await using var server = await Server.StartAsync(database, clock);
        var reaper = new ReaperProcess(server.Silo, "test");
        var flow = await CreateFlowAsync(server);
        var tag = "db-" + Guid.NewGuid().ToString("N")[..8];
        await server.PostOkAsync("concurrency_limits/", new { tag, concurrency_limit = 1 });

        var alive = await RunningFlowRunAsync(server, flow);
        var silent = await RunningFlowRunAsync(server, flow);
        var done = await RunningFlowRunAsync(server, flow);
        await SetStateAsync(server, $"flow_runs/{done}", "COMPLETED");
        var cancelling = await RunningFlowRunAsync(server, flow);
        await SetStateAsync(server, $"flow_runs/{cancelling}", "CANCELLING");

        var task = (await server.PostOkAsync("task_runs/", new
        {
            flow_run_id = silent,
            task_key = "load",
            dynamic_key = "0",
            name = "load-0",
            tags = new[] { tag },
            state = new { type = "PENDING" },
        }))["id"]!.GetValue<string>();
        await SetStateAsync(server, $"task_runs/{task}", "RUNNING");
        Assert.Equal(1, await SlotsAsync(server, tag));

        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Post, $"flow_runs/{alive}/heartbeat")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Post, $"flow_runs/{Guid.NewGuid()}/heartbeat")).Status);

        // Within the timeout nothing happens.
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(0, await reaper.RunOnceAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Post, $"flow_runs/{alive}/heartbeat")).Status);

        // 120 s after the silent run started (60 s after the live run's last heartbeat).
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(3, await reaper.RunOnceAsync());

        Assert.Equal("RUNNING", await StateOfAsync(server, $"flow_runs/{alive}"));
        Assert.Equal("COMPLETED", await StateOfAsync(server, $"flow_runs/{done}"));
        Assert.Equal("CANCELLED", await StateOfAsync(server, $"flow_runs/{cancelling}"));
        var crashed = await server.GetOkAsync($"flow_runs/{silent}");
        Assert.Equal("CRASHED", crashed["state"]!["type"]!.GetValue<string>());
        Assert.Equal("Flow run stopped sending heartbeats (no heartbeat for 90 s).", crashed["state"]!["message"]!.GetValue<string>());
        Assert.Equal("CRASHED", await StateOfAsync(server, $"task_runs/{task}"));
        Assert.Equal(0, await SlotsAsync(server, tag));

        // A later tick changes nothing more; the live run keeps running while it heartbeats.
        Assert.Equal(0, await reaper.RunOnceAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Post, $"flow_runs/{alive}/heartbeat")).Status);
        clock.Advance(TimeSpan.FromSeconds(80));
        Assert.Equal(0, await reaper.RunOnceAsync());
        Assert.Equal("RUNNING", await StateOfAsync(server, $"flow_runs/{alive}"));
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(1, await reaper.RunOnceAsync());
        Assert.Equal("CRASHED", await StateOfAsync(server, $"flow_runs/{alive}"));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Reaper_TaskRunLeftRunningInARunReportedCrashed_IsCrashedAfterTheTimeout(DatabaseKind database)
    {
        var clock = new ManualClock(Start);
        await using var server = await Server.StartAsync(database, clock);
        var reaper = new ReaperProcess(server.Silo, "test");
        var tag = "api-" + Guid.NewGuid().ToString("N")[..8];
        await server.PostOkAsync("concurrency_limits/", new { tag, concurrency_limit = 1 });
        var run = await RunningFlowRunAsync(server, await CreateFlowAsync(server), heartbeat: false);
        var task = (await server.PostOkAsync("task_runs/", new
        {
            flow_run_id = run,
            task_key = "call",
            dynamic_key = "0",
            tags = new[] { tag },
            state = new { type = "PENDING" },
        }))["id"]!.GetValue<string>();
        await SetStateAsync(server, $"task_runs/{task}", "RUNNING");

        // A worker reports CRASHED for a killed process: the task run stays RUNNING with its slot.
        await SetStateAsync(server, $"flow_runs/{run}", "CRASHED");
        Assert.Equal(0, await reaper.RunOnceAsync());
        Assert.Equal(1, await SlotsAsync(server, tag));

        clock.Advance(TimeSpan.FromSeconds(91));
        Assert.Equal(1, await reaper.RunOnceAsync());
        Assert.Equal("CRASHED", await StateOfAsync(server, $"task_runs/{task}"));
        Assert.Equal(0, await SlotsAsync(server, tag));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Reaper_RunThatNeverSentAHeartbeat_IsReapedOnlyWhenHeartbeatsAreRequired(DatabaseKind database)
    {
        var clock = new ManualClock(Start);
        await using var server = await Server.StartAsync(database, clock);
        var reaper = new ReaperProcess(server.Silo, "test");
        var run = await RunningFlowRunAsync(server, await CreateFlowAsync(server), heartbeat: false);

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await reaper.RunOnceAsync());
        Assert.Equal("RUNNING", await StateOfAsync(server, $"flow_runs/{run}"));

        server.Silo.Options.HeartbeatsRequired = true;
        Assert.Equal(1, await reaper.RunOnceAsync());
        Assert.Equal("CRASHED", await StateOfAsync(server, $"flow_runs/{run}"));
    }

    [Fact]
    public async Task Reaper_TwoServersOnPostgres_OnlyTheLeaseHolderReaps()
    {
        var clock = new ManualClock(Start);
        await using var first = await Server.StartAsync(DatabaseKind.Postgres, clock);
        await using var second = await InProcessServer.StartAsync(first.Database, clock, options => options.BackgroundProcesses = false);
        var reaperA = new ReaperProcess(first.Silo, "a");
        var reaperB = new ReaperProcess(second.Silo, "b");
        var flow = await CreateFlowAsync(first);
        var one = await RunningFlowRunAsync(first, flow);

        Assert.Equal(0, await reaperA.RunOnceAsync());
        Assert.Equal(0, await reaperB.RunOnceAsync());
        clock.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(0, await reaperA.RunOnceAsync());
        clock.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(0, await reaperA.RunOnceAsync());
        clock.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(0, await reaperA.RunOnceAsync());
        clock.Advance(TimeSpan.FromSeconds(25));

        // 100 s silent: B, whose lease A has kept renewing, leaves it to A.
        Assert.Equal(0, await reaperB.RunOnceAsync());
        Assert.Equal("RUNNING", await StateOfAsync(first, $"flow_runs/{one}"));
        Assert.Equal(1, await reaperA.RunOnceAsync());
        Assert.Equal("CRASHED", await StateOfAsync(first, $"flow_runs/{one}"));

        // B takes over only once A stops renewing its lease (three intervals, 30 s).
        var two = await RunningFlowRunAsync(first, flow);
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(0, await reaperB.RunOnceAsync());
        clock.Advance(TimeSpan.FromSeconds(80));
        Assert.Equal(1, await reaperB.RunOnceAsync());
        Assert.Equal("CRASHED", await StateOfAsync(first, $"flow_runs/{two}"));
        Assert.Equal(0, await reaperA.RunOnceAsync());
    }
}
