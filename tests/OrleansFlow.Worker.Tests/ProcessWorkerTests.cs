using System.Diagnostics;
using OrleansFlow.Client;
using OrleansFlow.Testing;

namespace OrleansFlow.Worker.Tests;

/// <summary>The worker against a real server, starting real processes. Tests call the ticks; <see cref="WorkerHost"/> has
/// its own test.</summary>
public sealed class ProcessWorkerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    // A flow program in shell: reports RUNNING then COMPLETED for the run the worker gave it, through the REST API.
    private const string CompletingCommand = """
        sh -c 'set -e; u="$ORLEANSFLOW_API_URL/flow_runs/$ORLEANSFLOW_FLOW_RUN_ID/set_state"; for s in RUNNING COMPLETED; do curl -sf -o /dev/null -H "Content-Type: application/json" -d "{\"state\":{\"type\":\"$s\"}}" "$u"; done'
        """;

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Run_ProcessReportsItsStates_StartedOnceWithPidAndEndsCompleted(DatabaseKind database)
    {
        await using var fixture = await Fixture.StartAsync(database);
        var deployment = await fixture.CreateDeploymentAsync("ok", new { command = CompletingCommand });
        var run = await fixture.CreateRunAsync(deployment);
        using var api = OrleansFlowClient.Create(new Uri(fixture.Server.ApiUrl));
        using var worker = new ProcessWorker(fixture.Options("ok"), api);

        Assert.Equal(1, await worker.PollOnceAsync(TimeSpan.Zero));
        Assert.Equal(0, await worker.PollOnceAsync(TimeSpan.Zero));
        var pid = (await fixture.RunAsync(run))["infrastructure_pid"]?.GetValue<string>();
        Assert.Equal($"{Environment.MachineName}:", pid?[..(pid.IndexOf(':', StringComparison.Ordinal) + 1)]);

        await Poll.UntilAsync(async () => { await worker.WatchOnceAsync(); return worker.RunningRuns.Count == 0; }, Deadline, "the process to end");
        Assert.Equal("COMPLETED", await fixture.StateAsync(run));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Run_DotnetProgramWithFlowRunEntry_RunsTheDeploymentsFlowWithItsParametersAndEndsCompleted(DatabaseKind database)
    {
        await using var fixture = await Fixture.StartAsync(database);
        var deployment = await fixture.CreateDeploymentAsync("dotnet", new { command = Fixture.FlowProgramCommand() },
            flowName: "worker-program-greet");
        var run = Guid.Parse((await fixture.PostOkAsync($"deployments/{deployment}/create_flow_run",
            new { parameters = new { name = "pool", times = 2 } }))["id"]!.GetValue<string>());
        using var api = OrleansFlowClient.Create(new Uri(fixture.Server.ApiUrl));
        using var worker = new ProcessWorker(fixture.Options("dotnet"), api);

        Assert.Equal(1, await worker.PollOnceAsync(TimeSpan.Zero));
        await Poll.UntilAsync(async () => { await worker.WatchOnceAsync(); return worker.RunningRuns.Count == 0; }, Deadline, "the program to end");

        Assert.Equal("COMPLETED", await fixture.StateAsync(run));
        Assert.Single(((System.Text.Json.Nodes.JsonArray)await fixture.PostOkAsync("flow_runs/filter", new { })));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Run_ProcessExitsWithoutAFinalState_EndsCrashedNamingTheExitCode(DatabaseKind database)
    {
        await using var fixture = await Fixture.StartAsync(database);
        // Through the pool's base job template: the deployment sets the template's variable.
        var template = new
        {
            job_configuration = new { command = "{{ command }}", env = "{{ env }}" },
            variables = new { type = "object", properties = new { command = new { type = "string" }, env = new { type = "object", @default = new { } } } },
        };
        var deployment = await fixture.CreateDeploymentAsync("crash", new { command = "sh -c \"exit 3\"" }, template);
        var run = await fixture.CreateRunAsync(deployment);
        using var api = OrleansFlowClient.Create(new Uri(fixture.Server.ApiUrl));
        using var worker = new ProcessWorker(fixture.Options("crash"), api);

        Assert.Equal(1, await worker.PollOnceAsync(TimeSpan.Zero));
        await Poll.UntilAsync(async () => { await worker.WatchOnceAsync(); return worker.RunningRuns.Count == 0; }, Deadline, "the process to end");

        var state = (await fixture.RunAsync(run))["state"]!;
        Assert.Equal("CRASHED", state["type"]!.GetValue<string>());
        Assert.Contains("code 3", state["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Run_NoCommand_EndsCrashedWithoutAProcess(DatabaseKind database)
    {
        await using var fixture = await Fixture.StartAsync(database);
        var deployment = await fixture.CreateDeploymentAsync("none", new { });
        var run = await fixture.CreateRunAsync(deployment);
        using var api = OrleansFlowClient.Create(new Uri(fixture.Server.ApiUrl));
        using var worker = new ProcessWorker(fixture.Options("none"), api);

        Assert.Equal(0, await worker.PollOnceAsync(TimeSpan.Zero));

        Assert.Equal("CRASHED", await fixture.StateAsync(run));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Cancel_RunningProcessTree_IsKilledAndTheRunEndsCancelled(DatabaseKind database)
    {
        await using var fixture = await Fixture.StartAsync(database);
        // The shell waits for its child (sleep), so the tree is two processes.
        var deployment = await fixture.CreateDeploymentAsync("cancel", new { command = "sh -c \"sleep 300; exit 0\"" });
        var run = await fixture.CreateRunAsync(deployment);
        using var api = OrleansFlowClient.Create(new Uri(fixture.Server.ApiUrl));
        using var worker = new ProcessWorker(fixture.Options("cancel"), api);
        Assert.Equal(1, await worker.PollOnceAsync(TimeSpan.Zero));
        var pid = await fixture.ProcessIdAsync(run);
        using var process = Process.GetProcessById(pid);
        await Poll.UntilAsync(() => Processes.Children(pid).Count == 1, Deadline, "the shell to start its child");
        var child = Processes.Children(pid)[0];
        await worker.WatchOnceAsync();
        Assert.False(process.HasExited);
        Assert.Equal([run], worker.RunningRuns);

        var answer = await fixture.PostOkAsync($"flow_runs/{run}/set_state", new { state = new { type = "CANCELLING" } });
        Assert.Equal("ACCEPT", answer["status"]!.GetValue<string>());
        await worker.WatchOnceAsync();

        Assert.True(process.HasExited);
        await Poll.UntilAsync(() => !Processes.IsAlive(child), Deadline, "the shell's child to be killed too");
        Assert.Empty(worker.RunningRuns);
        var state = (await fixture.RunAsync(run))["state"]!;
        Assert.Equal("CANCELLED", state["type"]!.GetValue<string>());
        Assert.Equal("The worker killed the run's process.", state["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Poll_RunDueWithinTheWait_IsClaimedButStartedOnlyAtItsTime(DatabaseKind database)
    {
        await using var fixture = await Fixture.StartAsync(database);
        var deployment = await fixture.CreateDeploymentAsync("later", new { command = CompletingCommand });
        var due = DateTimeOffset.UtcNow.AddSeconds(1.5);
        var run = Guid.Parse((await fixture.PostOkAsync($"deployments/{deployment}/create_flow_run",
            new { state = new { type = "SCHEDULED", state_details = new { scheduled_time = due } } }))["id"]!.GetValue<string>());
        using var api = OrleansFlowClient.Create(new Uri(fixture.Server.ApiUrl));
        using var worker = new ProcessWorker(fixture.Options("later"), api);

        Assert.Equal(1, await worker.PollOnceAsync(TimeSpan.FromSeconds(5)));

        // (a timer may fire a tick early: allow a few milliseconds)
        Assert.True(DateTimeOffset.UtcNow >= due.AddMilliseconds(-20), "the run was started before its time");
        await Poll.UntilAsync(async () => { await worker.WatchOnceAsync(); return worker.RunningRuns.Count == 0; }, Deadline, "the process to end");
        Assert.Equal("COMPLETED", await fixture.StateAsync(run));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Limit_TwoDueRunsAndLimitOne_StartsOneThenTheOtherWhenTheFirstEnds(DatabaseKind database)
    {
        await using var fixture = await Fixture.StartAsync(database);
        var deployment = await fixture.CreateDeploymentAsync("limit", new { command = CompletingCommand });
        var first = await fixture.CreateRunAsync(deployment);
        var second = await fixture.CreateRunAsync(deployment);
        using var api = OrleansFlowClient.Create(new Uri(fixture.Server.ApiUrl));
        using var worker = new ProcessWorker(fixture.Options("limit", limit: 1), api);

        Assert.Equal(1, await worker.PollOnceAsync(TimeSpan.Zero));
        Assert.Equal(0, await worker.PollOnceAsync(TimeSpan.Zero));
        await Poll.UntilAsync(async () => { await worker.WatchOnceAsync(); return worker.RunningRuns.Count == 0; }, Deadline, "the first process to end");
        Assert.Equal(1, await worker.PollOnceAsync(TimeSpan.Zero));
        await Poll.UntilAsync(async () => { await worker.WatchOnceAsync(); return worker.RunningRuns.Count == 0; }, Deadline, "the second process to end");

        Assert.Equal("COMPLETED", await fixture.StateAsync(first));
        Assert.Equal("COMPLETED", await fixture.StateAsync(second));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Host_RunCreatedWhileItWaits_IsPickedUpCompletedAndTheWorkerHeartbeats(DatabaseKind database)
    {
        await using var fixture = await Fixture.StartAsync(database);
        var deployment = await fixture.CreateDeploymentAsync("host", new { command = CompletingCommand });
        var options = HostOptions(fixture, "host", TimeSpan.FromSeconds(10));
        using var api = OrleansFlowClient.Create(options.ApiUrl);
        using var worker = new ProcessWorker(options, api);
        using var stop = new CancellationTokenSource();
        var host = new WorkerHost(options, worker).RunAsync(stop.Token);

        await Poll.UntilAsync(async () => (await fixture.PostOkAsync("work_pools/host/workers/filter", new { })).AsArray().Count == 1,
            Deadline, "the worker's heartbeat");
        var run = await fixture.CreateRunAsync(deployment);
        await Poll.UntilAsync(async () => await fixture.StateAsync(run) == "COMPLETED", Deadline, "the run to complete");

        await stop.CancelAsync();
        await host.WaitAsync(Deadline);
    }

    /// <summary>An error answer (here the pool's 404 before it exists) used to end the poll loop for good while the process
    /// stayed up; the loop now logs it and tries again, and takes the run once the pool is there.</summary>
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Host_PoolMissingAtFirst_LogsTheErrorAnswerAndTakesRunsOnceThePoolExists(DatabaseKind database)
    {
        await using var fixture = await Fixture.StartAsync(database);
        var options = HostOptions(fixture, "late", TimeSpan.FromSeconds(1));
        using var api = OrleansFlowClient.Create(options.ApiUrl);
        using var worker = new ProcessWorker(options, api);
        using var log = new StringWriter();
        var syncLog = TextWriter.Synchronized(log);
        using var stop = new CancellationTokenSource();
        var host = new WorkerHost(options, worker, syncLog).RunAsync(stop.Token);
        await Poll.UntilAsync(() => Task.FromResult(Logged(syncLog, log).Contains("worker poll:", StringComparison.Ordinal)), Deadline,
            "the poll's error answer in the log");

        var deployment = await fixture.CreateDeploymentAsync("late", new { command = CompletingCommand });
        var run = await fixture.CreateRunAsync(deployment);
        await Poll.UntilAsync(async () => await fixture.StateAsync(run) == "COMPLETED", Deadline, "the run to complete");

        Assert.False(host.IsCompleted, Logged(syncLog, log));
        await stop.CancelAsync();
        await host.WaitAsync(Deadline);
    }

    /// <summary>As Prefect's <c>worker start</c>: a pool named for the first time is created, as a process pool, and the
    /// worker takes its runs.</summary>
    [Fact]
    public async Task StartCommand_PoolThatDoesNotExist_CreatesItAsAProcessPoolAndTakesItsRuns()
    {
        await using var fixture = await Fixture.StartAsync();
        await using var worker = WorkerProcess.Start(fixture.Server.ApiUrl, "made-by-worker");
        await Poll.UntilAsync(async () => (await fixture.Client.GetAsync("work_pools/made-by-worker")).IsSuccessStatusCode, Deadline,
            "the worker to create its pool");
        Assert.Equal("process", (await fixture.GetOkAsync("work_pools/made-by-worker"))["type"]!.GetValue<string>());

        var deployment = await fixture.CreateDeploymentAsync("made-by-worker", new { command = CompletingCommand });
        var run = await fixture.CreateRunAsync(deployment);
        try
        {
            await Poll.UntilAsync(async () => await fixture.StateAsync(run) == "COMPLETED", Deadline, "the run to complete");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} The worker's output:\n{worker.Output}", ex);
        }

        Assert.Contains("Work pool 'made-by-worker' did not exist: created it (type process).", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartCommand_WithApiKeyOnAServerThatRequiresOne_CreatesItsPoolAndHeartbeats()
    {
        const string Key = "worker-test-admin-key-0123456789";
        await using var fixture = await Fixture.StartAsync(configure: options => options.ApiKey = Key);
        fixture.Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
        await using var worker = WorkerProcess.Start(fixture.Server.ApiUrl, "keyed", "--api-key", Key);
        try
        {
            await Poll.UntilAsync(async () => (await fixture.Client.GetAsync("work_pools/keyed")).IsSuccessStatusCode
                && (await fixture.PostOkAsync("work_pools/keyed/workers/filter", new { })).AsArray().Count == 1, Deadline, "the worker's pool and heartbeat");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} The worker's output:\n{worker.Output}", ex);
        }

        using var anonymous = new HttpClient { BaseAddress = fixture.Client.BaseAddress };
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("work_pools/keyed")).StatusCode);
    }

    /// <summary>A worker named after its pool that long polls for <paramref name="pollWait"/> and watches every 100 ms.</summary>
    private static WorkerOptions HostOptions(Fixture fixture, string pool, TimeSpan pollWait) => new()
    {
        Pool = pool,
        ApiUrl = new Uri(fixture.Server.ApiUrl),
        PollWait = pollWait,
        WatchInterval = TimeSpan.FromMilliseconds(100),
        Name = $"{pool}-worker",
    };

    private static string Logged(TextWriter writer, StringWriter log)
    {
        lock (writer)
        {
            return log.ToString();
        }
    }
}
