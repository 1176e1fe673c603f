using System.Diagnostics;
using OrleansFlow.Bench.Cli;
using OrleansFlow.Bench.Metrics;
using OrleansFlow.Bench.Reporting;

namespace OrleansFlow.Bench.Scenarios;

/// <summary>Runs one concurrency level: an unmeasured warm-up, then the measured window.</summary>
internal sealed class HotPathScenario(HttpClient http, PrefectEndpoints endpoints, HotPathPlan plan, HotPathOptions options, TextWriter progress)
{
    public async Task<HotPathResult> RunLevelAsync(int concurrency, CancellationToken stop)
    {
        if (options.WarmupSeconds > 0 && !stop.IsCancellationRequested)
        {
            await progress.WriteLineAsync($"[hotpath] C={concurrency}: warm-up {options.WarmupSeconds:0.##} s");
            var warmup = await RunPhaseAsync(concurrency, options.WarmupSeconds, stop);
            await progress.WriteLineAsync(
                $"[hotpath] C={concurrency}: warm-up done, {warmup.FlowRunsCompleted} flow runs, {warmup.Errors} errors");

            // Keep the warm-up's garbage out of the measured window.
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        await progress.WriteLineAsync($"[hotpath] C={concurrency}: measuring {options.DurationSeconds:0.##} s");
        var startedAt = DateTimeOffset.UtcNow;
        var serverCpuBefore = options.ServerPids.Count > 0 ? ProcessCpuReader.TryRead(options.ServerPids) : null;
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var start = Stopwatch.GetTimestamp();

        var stats = await RunPhaseAsync(concurrency, options.DurationSeconds, stop);

        var wall = Stopwatch.GetElapsedTime(start);
        var loadgenCpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var serverCpuAfter = options.ServerPids.Count > 0 ? ProcessCpuReader.TryRead(options.ServerPids) : null;
        TimeSpan? serverCpu = serverCpuBefore is { } before && serverCpuAfter is { } after ? after - before : null;
        if (options.ServerPids.Count > 0 && serverCpu is null)
        {
            await progress.WriteLineAsync("[hotpath] warning: could not read the server's CPU time (process gone?)");
        }

        var result = HotPathResult.Create(options, concurrency, startedAt, wall, stats, loadgenCpu, serverCpu, stop.IsCancellationRequested);
        await progress.WriteLineAsync(
            $"[hotpath] C={concurrency}: {result.FlowRunsCompleted} flow runs, {result.TransitionsPerSecond:0.0} transitions/s, "
            + $"{result.Errors} errors, wall {result.WallSeconds:0.00} s");
        return result;
    }

    private async Task<HotPathStats> RunPhaseAsync(int concurrency, double seconds, CancellationToken stop)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var workers = new Task<HotPathStats>[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            var worker = new HotPathWorker(http, endpoints, plan);
            workers[i] = Task.Run(() => worker.RunAsync(deadline, stop), CancellationToken.None);
        }

        var total = new HotPathStats();
        foreach (var stats in await Task.WhenAll(workers))
        {
            total.Add(stats);
        }

        return total;
    }
}
