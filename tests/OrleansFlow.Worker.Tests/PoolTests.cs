using OrleansFlow.Client;
using OrleansFlow.Testing;

namespace OrleansFlow.Worker.Tests;

/// <summary>Several workers on one pool, and paused queues and pools, with real processes.</summary>
public sealed class PoolTests
{
    // Records the run it was started for, then reports RUNNING and COMPLETED through the REST API.
    private const string RecordingCommand = """
        sh -c 'set -e; echo "$ORLEANSFLOW_FLOW_RUN_ID" >> "$RUNS_FILE"; u="$ORLEANSFLOW_API_URL/flow_runs/$ORLEANSFLOW_FLOW_RUN_ID/set_state"; for s in RUNNING COMPLETED; do curl -sf -o /dev/null -H "Content-Type: application/json" -d "{\"state\":{\"type\":\"$s\"}}" "$u"; done'
        """;

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task FourWorkersRacingOver200Runs_StartEachRunExactlyOnce(DatabaseKind database)
    {
        await using var fixture = await Fixture.StartAsync(database);
        var folder = Directory.CreateTempSubdirectory("worker-race-").FullName;
        var file = Path.Combine(folder, "started.txt");
        var deployment = await fixture.CreateDeploymentAsync("race", new
        {
            command = RecordingCommand,
            // (a dictionary: the client's camelCase naming would rename an anonymous type's RUNS_FILE)
            env = new Dictionary<string, string> { ["RUNS_FILE"] = file },
        });
        var created = new List<Guid>();
        for (var i = 0; i < 200; i++)
        {
            created.Add(await fixture.CreateRunAsync(deployment));
        }

        var workers = Enumerable.Range(0, 4).Select(w =>
        {
            var options = fixture.Options("race", limit: 8);
            options = new WorkerOptions
            {
                Pool = options.Pool,
                ApiUrl = options.ApiUrl,
                Limit = options.Limit,
                PollWait = TimeSpan.FromSeconds(1),
                WatchInterval = options.WatchInterval,
                Name = $"racer-{w}",
            };
            var api = OrleansFlowClient.Create(options.ApiUrl);
            return (Api: api, Worker: new ProcessWorker(options, api), Options: options);
        }).ToList();
        using var stop = new CancellationTokenSource();
        var hosts = workers.Select(w => new WorkerHost(w.Options, w.Worker).RunAsync(stop.Token)).ToList();
        try
        {
            await Poll.UntilAsync(async () => (await fixture.PostOkAsync("flow_runs/count",
                    new { flow_runs = new { state = new { type = new { any_ = new[] { "COMPLETED", "CRASHED", "FAILED", "CANCELLED" } } } } })).GetValue<int>() == 200,
                TimeSpan.FromMinutes(5), "the 200 runs to end", interval: TimeSpan.FromMilliseconds(500));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(hosts).WaitAsync(TimeSpan.FromSeconds(30));
            foreach (var (api, worker, _) in workers)
            {
                worker.Dispose();
                api.Dispose();
            }
        }

        var notCompleted = (await fixture.PostOkAsync("flow_runs/filter", new { limit = 200 })).AsArray()
            .Where(r => r!["state"]!["type"]!.GetValue<string>() != "COMPLETED")
            .Select(r => $"{r!["state"]!["type"]}: {r["state"]!["message"]}").ToList();
        Assert.True(notCompleted.Count == 0, $"{notCompleted.Count} runs did not complete, e.g. {notCompleted.FirstOrDefault()}");
        var started = (await File.ReadAllLinesAsync(file)).Select(Guid.Parse).ToList();
        Directory.Delete(folder, recursive: true);
        Assert.Equal(200, started.Count);
        Assert.Equal(200, started.Distinct().Count());
        Assert.True(created.ToHashSet().SetEquals(started));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task PausedQueueOrPool_HandsOutNothing_UntilResumed(DatabaseKind database)
    {
        await using var fixture = await Fixture.StartAsync(database);
        var deployment = await fixture.CreateDeploymentAsync("paused", new { command = "true" });
        using var api = OrleansFlowClient.Create(new Uri(fixture.Server.ApiUrl));
        using var worker = new ProcessWorker(fixture.Options("paused"), api);
        await fixture.PatchOkAsync("work_pools/paused/queues/default", new { is_paused = true });
        var run = await fixture.CreateRunAsync(deployment);

        Assert.Equal(0, await worker.PollOnceAsync(TimeSpan.Zero));
        Assert.Equal(0, await worker.PollOnceAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal("SCHEDULED", await fixture.StateAsync(run));

        await fixture.PatchOkAsync("work_pools/paused/queues/default", new { is_paused = false });
        await fixture.PatchOkAsync("work_pools/paused", new { is_paused = true });
        Assert.Equal(0, await worker.PollOnceAsync(TimeSpan.Zero));
        Assert.Equal("SCHEDULED", await fixture.StateAsync(run));

        await fixture.PatchOkAsync("work_pools/paused", new { is_paused = false });
        Assert.Equal(1, await worker.PollOnceAsync(TimeSpan.Zero));
        Assert.Equal([run], worker.RunningRuns);
    }
}
