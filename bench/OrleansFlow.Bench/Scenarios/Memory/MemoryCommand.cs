using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Bench.Cli;
using OrleansFlow.Bench.Metrics;

namespace OrleansFlow.Bench.Scenarios.Memory;

/// <summary>The <c>memory</c> scenario: completes N flow runs (create in SCHEDULED, then PENDING, RUNNING, COMPLETED)
/// through one server with C workers, sampling the server process's resident set (<c>/proc/PID/status</c>) as it goes.
/// It reports the peak and final RSS, the RSS at every tenth of the runs (a server that keeps what it no longer needs
/// grows with the runs done; one that collects idle activations levels off), and runs per second.</summary>
internal static class MemoryCommand
{
    public const string Name = "memory";

    private const double Megabyte = 1024 * 1024;

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter progressLog, CancellationToken stop)
    {
        MemoryOptions options;
        try
        {
            options = MemoryOptions.Parse(args);
        }
        catch (CommandLineException ex)
        {
            await progressLog.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.BadArguments;
        }

        var sampler = new MemorySampler(options.ServerPid, options.SampleInterval);
        if (!sampler.Sample())
        {
            await progressLog.WriteLineAsync($"error: cannot read /proc/{options.ServerPid}/status (is --server-pid a running process on this machine?)");
            return ExitCodes.RunFailed;
        }

        var (startRss, startAnon) = (sampler.LatestRss, sampler.LatestAnon);
        var endpoints = new PrefectEndpoints(options.Api);
        using var http = BenchHttpClient.Create(options.Concurrency, options.Timeout);
        string flowId;
        try
        {
            using var response = await http.PostAsync(endpoints.Flows, new ReadOnlyMemoryContent(RequestBodies.Flow(options.FlowName))
            {
                Headers = { { "Content-Type", "application/json" } },
            }, stop);
            var body = await response.Content.ReadAsByteArrayAsync(stop);
            flowId = response.IsSuccessStatusCode && ResponseParser.ReadId(body) is { } id
                ? id
                : throw new HttpRequestException($"POST {endpoints.Flows} answered {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            await progressLog.WriteLineAsync($"error: upserting the flow on {options.Api} failed: {ex.Message}");
            return ExitCodes.RunFailed;
        }

        await progressLog.WriteLineAsync(FormattableString.Invariant(
            $"[memory] {options.Runs:N0} runs, concurrency {options.Concurrency}, server pid {options.ServerPid} at {startRss / Megabyte:0} MB"));
        var progress = new MemoryProgress(options.Runs, sampler, progressLog);
        using var sampling = new CancellationTokenSource();
        var sampled = sampler.RunAsync(sampling.Token);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Concurrency).Select(_ => new MemoryWorker(http, endpoints, flowId, progress)).ToList();
        await Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(stop), CancellationToken.None)));
        var wall = clock.Elapsed;
        sampler.Sample();
        var (endRss, endAnon) = (sampler.LatestRss, sampler.LatestAnon);

        // With the server idle, its idle activations are collected (ORLEANSFLOW_SILO_ACTIVATION_COLLECTION_AGE_SECONDS).
        long? settledRss = null, settledAnon = null;
        if (options.Settle > 0 && !stop.IsCancellationRequested)
        {
            await progressLog.WriteLineAsync($"[memory] idle for {options.Settle} s");
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(options.Settle), stop);
            }
            catch (OperationCanceledException)
            {
                // Interrupted: report what was read so far.
            }

            if (sampler.Sample())
            {
                (settledRss, settledAnon) = (sampler.LatestRss, sampler.LatestAnon);
            }
        }

        await sampling.CancelAsync();
        await sampled;
        var peakHwm = ProcessMemoryReader.TryRead(options.ServerPid)?.PeakRssBytes;

        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var samples = new JsonObject();
        foreach (var worker in workers)
        {
            foreach (var (kind, count) in worker.Errors)
            {
                errors[kind] = errors.GetValueOrDefault(kind) + count;
            }

            foreach (var (kind, sample) in worker.ErrorSamples)
            {
                samples[kind] ??= sample;
            }
        }

        var completed = progress.CompletedRuns;
        var runsPerSecond = completed / wall.TotalSeconds;
        var result = new JsonObject
        {
            ["scenario"] = Name,
            ["label"] = options.Label,
            ["api"] = options.Api,
            ["server_pid"] = options.ServerPid,
            ["concurrency"] = options.Concurrency,
            ["runs_requested"] = options.Runs,
            ["runs_completed"] = completed,
            ["wall_s"] = Math.Round(wall.TotalSeconds, 2),
            ["runs_per_s"] = Math.Round(runsPerSecond, 1),
            ["transitions_per_s"] = Math.Round(runsPerSecond * 3, 1),
            ["rss_start_mb"] = Mb(startRss),
            ["rss_peak_mb"] = Mb(sampler.PeakRss),
            ["vm_hwm_mb"] = peakHwm is { } hwm ? Mb(hwm) : null,
            ["rss_end_mb"] = Mb(endRss),
            ["settle_s"] = options.Settle,
            ["rss_after_settle_mb"] = settledRss is { } settled ? Mb(settled) : null,
            ["rss_by_tenth_mb"] = new JsonArray([.. progress.Checkpoints.OrderBy(c => c.Runs).Select(c => (JsonNode)Mb(c.RssBytes))]),
            ["rss_anon_start_mb"] = Mb(startAnon),
            ["rss_anon_end_mb"] = Mb(endAnon),
            ["rss_anon_after_settle_mb"] = settledAnon is { } anon ? Mb(anon) : null,
            ["rss_anon_by_tenth_mb"] = new JsonArray([.. progress.Checkpoints.OrderBy(c => c.Runs).Select(c => (JsonNode)Mb(c.AnonBytes))]),
            ["samples"] = sampler.Samples,
            ["errors"] = errors.Values.Sum(),
            ["errors_by_kind"] = new JsonObject(errors.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            ["error_samples"] = samples,
            ["interrupted"] = stop.IsCancellationRequested,
            ["started_at"] = DateTimeOffset.UtcNow.Subtract(wall).ToString("O", CultureInfo.InvariantCulture),
        };

        await output.WriteLineAsync(FormattableString.Invariant(
            $"memory: {completed:N0} of {options.Runs:N0} runs completed in {wall.TotalSeconds:0.0} s ({runsPerSecond:0} runs/s, {runsPerSecond * 3:0} transitions/s), concurrency {options.Concurrency}, {errors.Values.Sum()} errors"));
        var settledText = settledRss is { } s ? FormattableString.Invariant($", after {options.Settle} s idle {s / Megabyte:0} MB") : "";
        await output.WriteLineAsync(FormattableString.Invariant(
            $"  server RSS: start {startRss / Megabyte:0} MB, peak {sampler.PeakRss / Megabyte:0} MB (VmHWM {(peakHwm ?? 0) / Megabyte:0} MB), end {endRss / Megabyte:0} MB{settledText}"));
        await output.WriteLineAsync("  RSS at each tenth of the runs (MB): " +
            string.Join(' ', progress.Checkpoints.OrderBy(c => c.Runs).Select(c => (c.RssBytes / Megabyte).ToString("0", CultureInfo.InvariantCulture))));
        await output.WriteLineAsync(FormattableString.Invariant($"  of which anonymous (heaps; start {startAnon / Megabyte:0} MB, end {endAnon / Megabyte:0} MB): ") +
            string.Join(' ', progress.Checkpoints.OrderBy(c => c.Runs).Select(c => (c.AnonBytes / Megabyte).ToString("0", CultureInfo.InvariantCulture))));
        var line = result.ToJsonString(JsonOptions);
        await output.WriteLineAsync(line);
        if (options.JsonPath is { } path)
        {
            await File.AppendAllTextAsync(path, line + "\n", CancellationToken.None);
        }

        return completed > 0 ? ExitCodes.Success : ExitCodes.RunFailed;
    }

    private static double Mb(long bytes) => Math.Round(bytes / Megabyte, 1);
}
