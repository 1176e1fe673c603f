using System.Globalization;

namespace OrleansFlow.Bench.Profiling;

/// <summary>The runtime's figures in a <c>dotnet-counters collect --format csv</c> file: the median of each counter over
/// the window, and the ones that compare between machines put per transition (the sum of the
/// <c>orleansflow.transitions</c> rates).</summary>
internal static class CounterReport
{
    public static void Write(string path, TextWriter output)
    {
        var values = new Dictionary<string, List<double>>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            // Timestamp,Provider,Counter Name,Counter Type,Mean/Increment; names may hold commas only inside [..] tags,
            // so the value is the last field and the name the third.
            var fields = line.Split(',');
            if (fields.Length < 5 || !double.TryParse(fields[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            var name = string.Join(',', fields[2..^2]);
            (values.TryGetValue(name, out var list) ? list : values[name] = []).Add(value);
        }

        var medians = values.ToDictionary(p => p.Key, p => Median(p.Value));
        double Sum(string prefix) => medians.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(p => p.Value);
        double? One(string name) => medians.TryGetValue(name, out var v) ? v : null;

        var samples = values.Values.Select(v => v.Count).DefaultIfEmpty(0).Max();
        var transitions = Sum("orleansflow.transitions");
        var allocated = One("dotnet.gc.heap.total_allocated (By / 1 sec)");
        var collections = Sum("dotnet.gc.collections");
        var pause = One("dotnet.gc.pause.time (s / 1 sec)");
        var workItems = One("dotnet.thread_pool.work_item.count ({work_item} / 1 sec)");
        var cpu = Sum("dotnet.process.cpu.time");

        output.WriteLine($"counters {path}: {samples} samples, medians");
        output.WriteLine($"  transitions/s                 {transitions:0}");
        output.WriteLine($"  process CPU                   {100 * cpu:0}% of one core ({Per(cpu * 1e6, transitions, "0")} µs per transition)");
        output.WriteLine($"  allocated                     {allocated / 1e6:0.0} MB/s ({Per(allocated / 1024, transitions, "0.0")} KB per transition)");
        output.WriteLine($"  garbage collections           {collections:0.#}/s (gen0 {Gen("gen0")}, gen1 {Gen("gen1")}, gen2 {Gen("gen2")}), paused {100 * pause:0.0}% of the time");
        output.WriteLine($"  gen0 budget (allocated per GC) {(collections > 0 ? $"{allocated / collections / 1e6:0.0} MB" : "-")}");
        output.WriteLine($"  thread-pool work items        {workItems:0}/s ({Per(workItems, transitions, "0.0")} per transition), "
            + $"{One("dotnet.thread_pool.thread.count ({thread})"):0} threads, queue {One("dotnet.thread_pool.queue.length ({work_item})"):0}");
        output.WriteLine($"  lock contentions              {One("dotnet.monitor.lock_contentions ({contention} / 1 sec)"):0.#}/s");
        output.WriteLine($"  working set                   {One("dotnet.process.memory.working_set (By)") / 1e6:0} MB");
        foreach (var (name, median) in medians.Where(p => p.Key.StartsWith("http.server.request.duration", StringComparison.Ordinal)
            && p.Key.Contains("Percentile=50", StringComparison.Ordinal)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var route = name.Split("http.route=")[^1].Split(';')[0];
            output.WriteLine($"  request p50 {route,-28} {median * 1000:0.00} ms");
        }

        string Gen(string generation) => medians.FirstOrDefault(p => p.Key.StartsWith("dotnet.gc.collections", StringComparison.Ordinal)
            && p.Key.Contains(generation, StringComparison.Ordinal)).Value.ToString("0.#", CultureInfo.InvariantCulture);
    }

    private static string Per(double? value, double transitions, string format) =>
        value is { } v && transitions > 0 ? (v / transitions).ToString(format, CultureInfo.InvariantCulture) : "-";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
