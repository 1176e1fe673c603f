using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Testing;

namespace OrleansFlow.Deployments.Tests.Reaper;

/// <summary>Flow-run heartbeats and the heartbeat watch of each run's grain (default timeout 90 s). With a manual clock
/// the tests make the check the grain's timer would make (<c>CheckHeartbeatAsync</c>); one test lets the real timer fire.</summary>
public sealed class HeartbeatWatchTests
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

    /// <summary>What the runs' heartbeat timers do when they fire: how many flow and task runs they ended.</summary>
    private static async Task<int> CheckAsync(Server server, params string[] runs)
    {
        var ended = 0;
        foreach (var run in runs)
        {
            ended += await server.Silo.FlowRun(Guid.Parse(run)).CheckHeartbeatAsync();
        }

        return ended;
    }

    private static async Task<int> SlotsAsync(Server server, string tag) =>
        (await server.GetOkAsync($"concurrency_limits/tag/{tag}"))["active_slots"]!.AsArray().Count;

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Watch_SilentRunCrashesAndReleasesItsSlots_HeartbeatingAndCompletedRunsUntouched(DatabaseKind database)
    {
        var clock = new ManualClock(Start);
        await using var server = await Server.StartAsync(database, clock);
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
        string[] all = [alive, silent, done, cancelling];

        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Post, $"flow_runs/{alive}/heartbeat")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Post, $"flow_runs/{Guid.NewGuid()}/heartbeat")).Status);

        // Within the timeout nothing happens.
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(0, await CheckAsync(server, all));
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Post, $"flow_runs/{alive}/heartbeat")).Status);

        // 120 s after the silent run started (60 s after the live run's last heartbeat).
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(3, await CheckAsync(server, all));

        Assert.Equal("RUNNING", await StateOfAsync(server, $"flow_runs/{alive}"));
        Assert.Equal("COMPLETED", await StateOfAsync(server, $"flow_runs/{done}"));
        Assert.Equal("CANCELLED", await StateOfAsync(server, $"flow_runs/{cancelling}"));
        var crashed = await server.GetOkAsync($"flow_runs/{silent}");
        Assert.Equal("CRASHED", crashed["state"]!["type"]!.GetValue<string>());
        Assert.Equal("Flow run stopped sending heartbeats (no heartbeat for 90 s).", crashed["state"]!["message"]!.GetValue<string>());
        Assert.Equal("CRASHED", await StateOfAsync(server, $"task_runs/{task}"));
        Assert.Equal(0, await SlotsAsync(server, tag));

        // A later check changes nothing more; the live run keeps running while it heartbeats.
        Assert.Equal(0, await CheckAsync(server, all));
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Post, $"flow_runs/{alive}/heartbeat")).Status);
        clock.Advance(TimeSpan.FromSeconds(80));
        Assert.Equal(0, await CheckAsync(server, all));
        Assert.Equal("RUNNING", await StateOfAsync(server, $"flow_runs/{alive}"));
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(1, await CheckAsync(server, all));
        Assert.Equal("CRASHED", await StateOfAsync(server, $"flow_runs/{alive}"));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Watch_TaskRunLeftRunningInARunReportedCrashed_IsCrashedAfterTheTimeout(DatabaseKind database)
    {
        var clock = new ManualClock(Start);
        await using var server = await Server.StartAsync(database, clock);
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
        Assert.Equal(0, await CheckAsync(server, run));
        Assert.Equal(1, await SlotsAsync(server, tag));

        clock.Advance(TimeSpan.FromSeconds(91));
        Assert.Equal(1, await CheckAsync(server, run));
        Assert.Equal("CRASHED", await StateOfAsync(server, $"task_runs/{task}"));
        Assert.Equal(0, await SlotsAsync(server, tag));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Watch_RunThatNeverSentAHeartbeat_IsCrashedOnlyWhenHeartbeatsAreRequired(DatabaseKind database)
    {
        var clock = new ManualClock(Start);
        await using var server = await Server.StartAsync(database, clock);
        var run = await RunningFlowRunAsync(server, await CreateFlowAsync(server), heartbeat: false);

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await CheckAsync(server, run));
        Assert.Equal("RUNNING", await StateOfAsync(server, $"flow_runs/{run}"));

        server.Silo.Options.HeartbeatsRequired = true;
        Assert.Equal(1, await CheckAsync(server, run));
        Assert.Equal("CRASHED", await StateOfAsync(server, $"flow_runs/{run}"));
    }

    [Fact]
    public async Task Watch_TwoServersOnPostgres_OneGrainWatchesTheRunWhicheverServerIsAsked()
    {
        var clock = new ManualClock(Start);
        await using var first = await Server.StartAsync(DatabaseKind.Postgres, clock);
        await using var second = await InProcessServer.StartAsync(first.Database, clock, options => options.BackgroundProcesses = false);
        var flow = await CreateFlowAsync(first);
        var run = await RunningFlowRunAsync(first, flow);

        // Heartbeats through the second server reach the same grain.
        clock.Advance(TimeSpan.FromSeconds(60));
        using (var client = second.CreateClient())
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"flow_runs/{run}/heartbeat", null)).StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(0, await second.Silo.FlowRun(Guid.Parse(run)).CheckHeartbeatAsync());
        Assert.Equal(0, await CheckAsync(first, run));
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await second.Silo.FlowRun(Guid.Parse(run)).CheckHeartbeatAsync());
        Assert.Equal(0, await CheckAsync(first, run));
        Assert.Equal("CRASHED", await StateOfAsync(first, $"flow_runs/{run}"));
    }

    [Fact]
    public async Task Watch_RealClock_TheRunsOwnTimerCrashesItWithoutAnyScan()
    {
        using var files = new SqliteFiles();
        await using var server = await InProcessServer.StartAsync(files.NewDatabase(), configure: options =>
        {
            options.BackgroundProcesses = false;
            options.Silo.HeartbeatTimeout = TimeSpan.FromSeconds(2);
        });
        using var client = server.CreateClient();
        var flow = (await (await client.PostAsJsonAsync("flows/", new { name = "timer-flow" })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var run = (await (await client.PostAsJsonAsync("flow_runs/", new { flow_id = flow, state = new { type = "RUNNING" } })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"flow_runs/{run}/heartbeat", null)).StatusCode);

        await Poll.UntilAsync(async () =>
            (await client.GetFromJsonAsync<JsonObject>($"flow_runs/{run}"))!["state"]!["type"]!.GetValue<string>() == "CRASHED",
            TimeSpan.FromSeconds(60), "the run's heartbeat timer to mark it CRASHED");
    }

    /// <summary>The server holding a silent run's watch stops before the watch fires. Nothing calls the run afterwards
    /// (the test reads it through the filter, which reads the table): the heartbeat reminder alone activates its grain on
    /// the server started next, and the run is crashed.</summary>
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Watch_ServerRestarted_TheReminderAloneBringsTheWatchBackAndCrashesTheSilentRun(DatabaseKind database)
    {
        using var files = new SqliteFiles();
        await using var postgres = database == DatabaseKind.Postgres ? await PostgresServer.CreateDatabaseAsync() : null;
        var options = postgres?.Options() ?? files.NewDatabase();
        static void Configure(OrleansFlow.Gateway.ServerOptions server)
        {
            server.BackgroundProcesses = false;
            server.Silo.HeartbeatTimeout = TimeSpan.FromSeconds(2);
            server.Silo.SchedulePeriod = TimeSpan.FromSeconds(1);
        }

        string run;
        await using (var first = await InProcessServer.StartAsync(options, configure: Configure))
        {
            using var client = first.CreateClient();
            var flow = (await (await client.PostAsJsonAsync("flows/", new { name = "restart-flow" })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
            run = (await (await client.PostAsJsonAsync("flow_runs/", new { flow_id = flow, state = new { type = "RUNNING" } })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"flow_runs/{run}/heartbeat", null)).StatusCode);
        }

        await using var second = await InProcessServer.StartAsync(options, configure: Configure);
        using var reader = second.CreateClient();
        var filter = new { flow_runs = new { id = new { any_ = new[] { run } } } };
        await Poll.UntilAsync(async () =>
        {
            using var response = await reader.PostAsJsonAsync("flow_runs/filter", filter);
            var runs = (await response.Content.ReadFromJsonAsync<JsonArray>())!;
            return runs.Single()!["state"]!["type"]!.GetValue<string>() == "CRASHED";
        }, TimeSpan.FromSeconds(60), "the heartbeat reminder to crash the silent run after the restart");
    }
}
