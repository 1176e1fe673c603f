using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OrleansFlow.Bench.Cli;
using OrleansFlow.Bench.Metrics;
using OrleansFlow.Client;
using OrleansFlow.Worker;

namespace OrleansFlow.Bench.Scenarios.Pickup;

/// <summary>The <c>pickup</c> scenario: how long from <c>create_flow_run</c> to the flow's code starting when a process
/// worker serves the deployment. The bench runs the worker (<see cref="WorkerHost"/>, as <c>orleansflow worker start</c>
/// does) on a pool of its own; the flow program appends the run id, when its Main began and when the flow's code began to
/// a file. Latency: runs created one at a time, each after the previous ended. Throughput: a burst of runs created at once,
/// runs per second until the last ended, with the worker's <c>--limit</c>.</summary>
internal static class PickupCommand
{
    public const string Name = "pickup";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter progress)
    {
        PickupOptions options;
        try
        {
            options = PickupOptions.Parse(args);
        }
        catch (CommandLineException ex)
        {
            await progress.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.BadArguments;
        }

        var command = options.Command ?? DefaultCommand();
        var folder = Directory.CreateTempSubdirectory("orleansflow-pickup-").FullName;
        var file = Path.Combine(folder, "started.txt");
        File.WriteAllText(file, "");
        var pool = "bench-pickup-" + Guid.NewGuid().ToString("N")[..8];
        using var http = OrleansFlowClient.Create(new Uri(options.Api), "orleansflow-bench");
        Guid deployment;
        try
        {
            deployment = await SetUpAsync(http, pool, command, file);
        }
        catch (Exception ex) when (ex is HttpRequestException or OrleansFlowApiException)
        {
            await progress.WriteLineAsync($"error: setting up the pool and deployment on {options.Api} failed: {ex.Message}");
            return ExitCodes.RunFailed;
        }

        await progress.WriteLineAsync($"[pickup] pool {pool}, deployment {deployment}, command: {command}");
        var workerOptions = new WorkerOptions { Pool = pool, ApiUrl = new Uri(options.Api), Name = "bench-pickup-worker" };
        using var api = OrleansFlowClient.Create(workerOptions.ApiUrl, "orleansflow-worker");
        using var worker = new ProcessWorker(workerOptions, api);
        using var stop = new CancellationTokenSource();
        var host = new WorkerHost(workerOptions, worker, progress).RunAsync(stop.Token);
        var reader = new StartedFile(file);
        try
        {
            // Latency: one run at a time, the worker idle in its long poll when each is created.
            var total = new LatencyRecorder();
            var toMain = new LatencyRecorder();
            var toFlow = new LatencyRecorder();
            for (var i = 0; i < options.Warmup + options.Runs; i++)
            {
                var created = DateTime.UtcNow.Ticks;
                var id = await CreateRunAsync(http, deployment);
                var started = await reader.WaitForAsync(id, RunTimeout);
                await WaitEndedAsync(http, [id]);
                if (i >= options.Warmup)
                {
                    total.RecordMicros((started.FlowStart - created) / 10);
                    toMain.RecordMicros((started.MainStart - created) / 10);
                    toFlow.RecordMicros((started.FlowStart - started.MainStart) / 10);
                }
            }

            // Throughput: a burst, at most --limit flow processes at once.
            double? runsPerSecond = null;
            var burst = new LatencyRecorder();
            if (options.Burst > 0)
            {
                var limited = new WorkerOptions { Pool = pool, ApiUrl = workerOptions.ApiUrl, Limit = options.Limit, Name = "bench-pickup-burst" };
                await stop.CancelAsync();
                await host;
                using var burstStop = new CancellationTokenSource();
                using var burstWorker = new ProcessWorker(limited, api);
                var burstHost = new WorkerHost(limited, burstWorker, progress).RunAsync(burstStop.Token);
                var begin = Stopwatch.GetTimestamp();
                var createdAt = new Dictionary<Guid, long>();
                for (var i = 0; i < options.Burst; i++)
                {
                    var created = DateTime.UtcNow.Ticks;
                    createdAt[await CreateRunAsync(http, deployment)] = created;
                }

                foreach (var (id, created) in createdAt)
                {
                    burst.RecordMicros((await reader.WaitForAsync(id, TimeSpan.FromMinutes(10))).FlowStart / 10 - created / 10);
                }

                await WaitEndedAsync(http, [.. createdAt.Keys]);
                runsPerSecond = options.Burst / Stopwatch.GetElapsedTime(begin).TotalSeconds;
                await burstStop.CancelAsync();
                await burstHost;
            }

            var result = new JsonObject
            {
                ["scenario"] = Name,
                ["label"] = options.Label,
                ["api"] = options.Api,
                ["runs"] = options.Runs,
                ["pickup_p50_ms"] = total.PercentileMs(0.5),
                ["pickup_p90_ms"] = total.PercentileMs(0.9),
                ["pickup_p99_ms"] = total.PercentileMs(0.99),
                ["pickup_max_ms"] = total.MaxMs,
                ["to_main_p50_ms"] = toMain.PercentileMs(0.5),
                ["to_main_p99_ms"] = toMain.PercentileMs(0.99),
                ["main_to_flow_p50_ms"] = toFlow.PercentileMs(0.5),
                ["main_to_flow_p99_ms"] = toFlow.PercentileMs(0.99),
                ["burst"] = options.Burst,
                ["burst_limit"] = options.Limit,
                ["burst_runs_per_s"] = runsPerSecond,
                ["burst_pickup_p50_ms"] = burst.PercentileMs(0.5),
                ["burst_pickup_p99_ms"] = burst.PercentileMs(0.99),
            };
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"pickup ({options.Runs} runs, one at a time): p50 {total.PercentileMs(0.5):0.0} ms, p90 {total.PercentileMs(0.9):0.0} ms, p99 {total.PercentileMs(0.99):0.0} ms, max {total.MaxMs:0.0} ms"));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  create -> Main() p50 {toMain.PercentileMs(0.5):0.0} ms (p99 {toMain.PercentileMs(0.99):0.0}); Main() -> flow code p50 {toFlow.PercentileMs(0.5):0.0} ms (p99 {toFlow.PercentileMs(0.99):0.0})"));
            if (runsPerSecond is { } rate)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"burst of {options.Burst} runs, worker limit {options.Limit}: {rate:0.00} runs/s; pickup p50 {burst.PercentileMs(0.5):0} ms, p99 {burst.PercentileMs(0.99):0} ms"));
            }

            var line = result.ToJsonString();
            await output.WriteLineAsync(line);
            if (options.JsonPath is { } path)
            {
                await File.AppendAllTextAsync(path, line + "\n");
            }

            return ExitCodes.Success;
        }
        catch (TimeoutException ex)
        {
            await progress.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.RunFailed;
        }
        finally
        {
            await stop.CancelAsync();
            await host;
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string DefaultCommand()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var program = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "PickupFlow", "bin", configuration, "net10.0", "PickupFlow.dll"));
        return $"dotnet \"{program}\"";
    }

    private static async Task<Guid> SetUpAsync(OrleansFlowClient http, string pool, string command, string file)
    {
        await http.CreateWorkPoolAsync(new WorkPoolCreate(pool, "process"));
        var flow = await http.CreateFlowAsync(new FlowCreate("bench-pickup"));
        var deployment = await http.CreateDeploymentAsync(new DeploymentCreate
        {
            Name = pool,
            FlowId = flow.Id,
            WorkPoolName = pool,
            InfraOverrides = new JsonObject { ["command"] = command, ["env"] = new JsonObject { ["PICKUP_FILE"] = file } },
            Parameters = [],
        });
        return deployment.Id;
    }

    private static async Task<Guid> CreateRunAsync(OrleansFlowClient http, Guid deployment) =>
        (await http.CreateFlowRunFromDeploymentAsync(deployment)).Id;

    /// <summary>Waits until every run is in a final state (the flow process has reported COMPLETED).</summary>
    private static async Task WaitEndedAsync(OrleansFlowClient http, IReadOnlyList<Guid> ids)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        var filter = new FlowRunFilter
        {
            FlowRuns = new FlowRunConditions
            {
                Id = new AnyOf<Guid>(ids),
                State = new StateCondition(new AnyOf<StateType>([StateType.Completed, StateType.Failed, StateType.Crashed, StateType.Cancelled])),
            },
        };
        while (true)
        {
            if (await http.CountFlowRunsAsync(filter) == ids.Count)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{ids.Count} runs did not end within 10 minutes.");
            }

            await Task.Delay(10);
        }
    }
}
