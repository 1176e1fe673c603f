using System.Diagnostics;
using OrleansFlow.Client;
using OrleansFlow.Testing;

namespace OrleansFlow.Worker.Tests;

/// <summary><c>kill -9</c> of real processes: a flow process whose task holds a tag concurrency slot (the worker notices),
/// and the worker together with its flow process (the server's reaper notices).</summary>
public sealed class KillTests
{
    private const string Tag = "worker-slot";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task KillFlowProcess_WhileItsTaskHoldsATagSlot_TheWorkerEndsTheRunCrashedAndTheSlotIsReleased(DatabaseKind database)
    {
        // The default 90 s heartbeat timeout and no reaper running: only the worker can end the run in time.
        await using var fixture = await Fixture.StartAsync(database);
        await fixture.PostOkAsync("concurrency_limits/", new { tag = Tag, concurrency_limit = 1 });
        var deployment = await fixture.CreateDeploymentAsync("kill", new { command = Fixture.FlowProgramCommand() }, flowName: "worker-program-hold");
        var run = await fixture.CreateRunAsync(deployment);
        using var api = OrleansFlowClient.Create(new Uri(fixture.Server.ApiUrl));
        using var worker = new ProcessWorker(fixture.Options("kill"), api);
        // A long poll: it answers as soon as the run can be claimed (this test is about the kill, not the first poll).
        Assert.Equal(1, await worker.PollOnceAsync(TimeSpan.FromSeconds(30)));
        // The slot is taken before the task run's row commits: wait for both, or the kill could cut the create short.
        await Poll.UntilAsync(async () => await fixture.ActiveSlotsAsync(Tag) == 1
            && (await fixture.PostOkAsync("task_runs/filter", new { })).AsArray().Any(t => t!["state"]?["type"]?.GetValue<string>() == "RUNNING"),
            Deadline, "the flow's task to take the tag's slot and be RUNNING");
        await worker.WatchOnceAsync();
        Assert.Equal([run], worker.RunningRuns);
        Assert.Equal("RUNNING", await fixture.StateAsync(run));

        using (var process = Process.GetProcessById(await fixture.ProcessIdAsync(run)))
        {
            process.Kill(); // SIGKILL
        }

        await Poll.UntilAsync(async () => { await worker.WatchOnceAsync(); return worker.RunningRuns.Count == 0; }, Deadline, "the worker to see the process die");

        var state = (await fixture.RunAsync(run))["state"]!;
        Assert.Equal("CRASHED", state["type"]!.GetValue<string>());
        Assert.Contains("code 137", state["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await fixture.ActiveSlotsAsync(Tag));
        var task = Assert.Single((await fixture.PostOkAsync("task_runs/filter", new { })).AsArray());
        Assert.Equal("CRASHED", task!["state"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task KillWorkerAndFlowProcess_TheServersReaperEndsTheRunCrashedAndReleasesTheSlot(DatabaseKind database)
    {
        await using var fixture = await Fixture.StartAsync(database, options =>
        {
            options.BackgroundProcesses = true;
            options.Silo.HeartbeatTimeout = TimeSpan.FromSeconds(10);
        });
        await fixture.PostOkAsync("concurrency_limits/", new { tag = Tag, concurrency_limit = 1 });
        // The flow process heartbeats every second (the SDK sends its first one at once).
        var deployment = await fixture.CreateDeploymentAsync("kill-all", new
        {
            command = Fixture.FlowProgramCommand(),
            env = new Dictionary<string, string> { ["ORLEANSFLOW_HEARTBEAT_SECONDS"] = "1" },
        }, flowName: "worker-program-hold");
        await using var worker = WorkerProcess.Start(fixture.Server.ApiUrl, "kill-all");
        var run = await fixture.CreateRunAsync(deployment);
        try
        {
            await Poll.UntilAsync(async () => await fixture.ActiveSlotsAsync(Tag) == 1, Deadline, "the worker to start the flow and its task to take the tag's slot");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} The worker's output:\n{worker.Output}", ex);
        }

        await Poll.UntilAsync(async () => (await fixture.RunAsync(run))["infrastructure_pid"] is not null, Deadline, "the worker to record the pid");
        var flowPid = await fixture.ProcessIdAsync(run);

        worker.Kill(); // SIGKILL: nothing will report the run's end
        using (var process = Process.GetProcessById(flowPid))
        {
            process.Kill();
        }

        Assert.Equal("RUNNING", await fixture.StateAsync(run));
        await Poll.UntilAsync(async () => await fixture.StateAsync(run) == "CRASHED", Deadline, "the reaper to crash the silent run",
            interval: TimeSpan.FromMilliseconds(250));
        var state = (await fixture.RunAsync(run))["state"]!;
        Assert.StartsWith("Flow run stopped sending heartbeats", state["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await fixture.ActiveSlotsAsync(Tag));
        var task = Assert.Single((await fixture.PostOkAsync("task_runs/filter", new { })).AsArray());
        Assert.Equal("CRASHED", task!["state"]!["type"]!.GetValue<string>());
    }
}
