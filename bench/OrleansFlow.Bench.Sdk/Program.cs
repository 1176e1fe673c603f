using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OrleansFlow;
using OrleansFlow.Bench.Sdk;

// dotnet run -c Release --project bench/OrleansFlow.Bench.Sdk -- --api http://127.0.0.1:4200/api [--sequential 1000]
//   [--map 10000] [--repeat 3] [--json results.jsonl] [--label sqlite]
// dotnet run -c Release --project bench/OrleansFlow.Bench.Sdk -- --ephemeral 5 [--json results.jsonl] [--label laptop]
if (args is [EphemeralStartup.ChildFlag])
{
    return EphemeralStartup.RunChild();
}

var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: OrleansFlow.Bench.Sdk --api URL [--sequential N] [--map N] [--repeat R] [--json FILE] [--label TEXT]");
    Console.Error.WriteLine("       OrleansFlow.Bench.Sdk --ephemeral STARTS [--json FILE] [--label TEXT]");
    return 2;
}

if (options.Ephemeral > 0)
{
    return await EphemeralReport.RunAsync(options);
}

using var api = Flows.UseApi(options.Api);
Console.WriteLine($"[sdk] server {options.Api}, {options.Sequential} sequential tasks, {options.Map} mapped tasks, {options.Repeat} repeats");

// Warm up the JIT, the connection pool and the server's caches.
BenchFlows.Sequential(50);
BenchFlows.Map(200);

var plain = Stopwatch.StartNew();
for (var i = 0; i < 100; i++)
{
    BenchFlows.SequentialBody(options.Sequential);
}

var plainPerTaskMs = plain.Elapsed.TotalMilliseconds / (100.0 * options.Sequential);

var sequentialRuns = new List<double>();
for (var r = 0; r < options.Repeat; r++)
{
    var watch = Stopwatch.StartNew();
    var value = BenchFlows.Sequential(options.Sequential);
    watch.Stop();
    if (value != options.Sequential)
    {
        throw new InvalidOperationException($"sequential flow returned {value}, expected {options.Sequential}");
    }

    sequentialRuns.Add(watch.Elapsed.TotalMilliseconds);
    Console.WriteLine($"[sdk] sequential {options.Sequential}: {watch.Elapsed.TotalSeconds:0.000} s ({watch.Elapsed.TotalMilliseconds / options.Sequential:0.000} ms/task)");
}

var mapRuns = new List<double>();
var samples = new List<(long Finished, long HeapBytes)>();
for (var r = 0; r < options.Repeat; r++)
{
    var startFinished = BenchFlows.Finished;
    using var stopSampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        var taken = new List<(long Finished, long HeapBytes)>();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(stopSampling.Token).ConfigureAwait(false))
            {
                taken.Add((BenchFlows.Finished - startFinished, GC.GetTotalMemory(false)));
            }
        }
        catch (OperationCanceledException)
        {
            // Sampling ends with the map.
        }

        return taken;
    });
    var watch = Stopwatch.StartNew();
    var sum = BenchFlows.Map(options.Map);
    watch.Stop();
    await stopSampling.CancelAsync();
    var taken = await sampler;

    var expected = (long)options.Map * (options.Map + 1) / 2;
    if (sum != expected)
    {
        throw new InvalidOperationException($"map flow returned {sum}, expected {expected}");
    }

    mapRuns.Add(watch.Elapsed.TotalMilliseconds);
    GC.Collect();
    Console.WriteLine($"[sdk] map {options.Map}: {watch.Elapsed.TotalSeconds:0.000} s ({options.Map / watch.Elapsed.TotalSeconds:0} tasks/s), "
        + $"heap after GC {GC.GetTotalMemory(true) / 1048576.0:0.0} MiB");
    if (r == options.Repeat - 1)
    {
        samples = taken;
    }
}

var bestSequential = sequentialRuns.Min();
var perTaskMs = bestSequential / options.Sequential;
var overheadMs = perTaskMs - plainPerTaskMs;
var bestMap = mapRuns.Min();
var quarters = new[] { 0.25, 0.5, 0.75, 1.0 }
    .Select(q => samples.Where(s => s.Finished <= q * options.Map).Select(s => s.HeapBytes).DefaultIfEmpty(0).Max() / 1048576.0)
    .ToArray();
Console.WriteLine();
Console.WriteLine($"sequential: {perTaskMs:0.000} ms/task (best of {options.Repeat}); plain call {plainPerTaskMs * 1000:0.000} µs/task; "
    + $"orchestration overhead {overheadMs:0.000} ms/task; ratio {perTaskMs / plainPerTaskMs:N0}x");
Console.WriteLine($"map: {bestMap / 1000:0.000} s for {options.Map} tasks (best of {options.Repeat}), {options.Map / (bestMap / 1000):0} tasks/s");
Console.WriteLine($"map heap (max MiB while 25/50/75/100% of tasks had finished): {string.Join(" / ", quarters.Select(q => q.ToString("0.0", CultureInfo.InvariantCulture)))}");

if (options.Json is { } file)
{
    var line = JsonSerializer.Serialize(new
    {
        scenario = "sdk",
        label = options.Label,
        api = options.Api,
        sequential_tasks = options.Sequential,
        sequential_ms_per_task = perTaskMs,
        plain_us_per_task = plainPerTaskMs * 1000,
        overhead_ms_per_task = overheadMs,
        map_tasks = options.Map,
        map_seconds = bestMap / 1000,
        map_heap_mib_by_quarter = quarters,
        at = DateTimeOffset.UtcNow,
    });
    await File.AppendAllTextAsync(file, line + Environment.NewLine);
}

return 0;

/// <summary>The command line.</summary>
internal sealed record Options(string Api, int Sequential, int Map, int Repeat, string? Json, string Label, int Ephemeral = 0)
{
    public static Options? Parse(string[] args)
    {
        string? api = null, json = null, label = "";
        int sequential = 1000, map = 10_000, repeat = 3, ephemeral = 0;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--api": api = args[i + 1]; break;
                case "--sequential": sequential = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--map": map = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--repeat": repeat = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--json": json = args[i + 1]; break;
                case "--label": label = args[i + 1]; break;
                case "--ephemeral": ephemeral = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: return null;
            }
        }

        return ephemeral > 0 ? new Options(api ?? "", sequential, map, repeat, json, label, ephemeral)
            : api is null ? null
            : new Options(api, sequential, map, repeat, json, label);
    }
}
