using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using OrleansFlow.Bench.Metrics;

namespace OrleansFlow.Bench.Scenarios.Floor;

/// <summary><c>floor</c>: what a request costs the server before it writes anything, to set the hot path's CPU per
/// transition against. For each probe in turn, <c>--concurrency</c> workers repeat one request, one in flight each, for
/// <c>--warmup</c> unmeasured seconds and then <c>--duration</c> measured ones: requests/s, p50 and p99, and the CPU time
/// of <c>--server-pid</c> and of this tool over the measured window. The probes:
/// <list type="bullet">
/// <item><c>hello</c>: <c>GET /hello</c>, a constant answer: the HTTP layer alone (sockets, Kestrel, the middleware,
/// routing, a JSON body).</item>
/// <item><c>flow-run</c>: <c>GET /flow_runs/{id}</c>, each worker of its own run made at start (a grain takes one call at a
/// time): the HTTP layer, a grain call, a read of one row and the run's JSON (a hot path answer's size, without the
/// write).</item>
/// </list></summary>
internal static class FloorCommand
{
    public const string Name = "floor";

    private const string Usage = "usage: floor [--api URL (http://127.0.0.1:4200/api)] [--concurrency C (32)] [--duration S (20)] " +
        "[--warmup S (10)] [--server-pid PID[,PID]] [--probe hello|flow-run (both)] [--json FILE]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var api = "http://127.0.0.1:4200/api";
        int concurrency = 32, duration = 20, warmup = 10;
        var pids = new List<int>();
        var probes = new List<string>();
        string? json = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--api" when value is not null: api = value.TrimEnd('/'); i++; break;
                case "--concurrency" when int.TryParse(value, CultureInfo.InvariantCulture, out var c) && c > 0: concurrency = c; i++; break;
                case "--duration" when int.TryParse(value, CultureInfo.InvariantCulture, out var d) && d > 0: duration = d; i++; break;
                case "--warmup" when int.TryParse(value, CultureInfo.InvariantCulture, out var w) && w >= 0: warmup = w; i++; break;
                case "--server-pid" when value is not null && value.Split(',').All(p => int.TryParse(p, CultureInfo.InvariantCulture, out var pid) && pid > 0):
                    pids.AddRange(value.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture))); i++; break;
                case "--probe" when value is "hello" or "flow-run": probes.Add(value); i++; break;
                case "--json" when value is not null: json = value; i++; break;
                case "--help" or "-h": await output.WriteLineAsync(Usage); return ExitCodes.Success;
                default:
                    await error.WriteLineAsync($"error: bad argument '{args[i]}'. {Usage}");
                    return ExitCodes.BadArguments;
            }
        }

        if (probes.Count == 0)
        {
            probes.AddRange(["hello", "flow-run"]);
        }

        using var http = BenchHttpClient.Create(concurrency, TimeSpan.FromSeconds(30));
        var urls = new Dictionary<string, string[]> { ["hello"] = [.. Enumerable.Repeat($"{api}/hello", concurrency)] };
        if (probes.Contains("flow-run"))
        {
            var runs = new string[concurrency];
            for (var i = 0; i < concurrency; i++)
            {
                if (await CreateRunAsync(http, api, cancellationToken).ConfigureAwait(false) is not { } run)
                {
                    await error.WriteLineAsync($"error: could not create a flow run at {api} (is the server running?)");
                    return ExitCodes.RunFailed;
                }

                runs[i] = $"{api}/flow_runs/{run}";
            }

            urls["flow-run"] = runs;
        }

        await output.WriteLineAsync("probe       conc  wall s  requests    req/s  p50 ms  p99 ms  errors  srv cpu%  srv µs/req  lg cpu%");
        var results = new List<Dictionary<string, object?>>();
        var failed = false;
        foreach (var probe in probes)
        {
            var url = urls[probe];
            if (warmup > 0)
            {
                await RunPhaseAsync(http, url, concurrency, warmup, cancellationToken).ConfigureAwait(false);
            }

            var serverBefore = pids.Count > 0 ? ProcessCpuReader.TryRead(pids) : null;
            var ownBefore = Environment.CpuUsage.TotalTime;
            var clock = Stopwatch.StartNew();
            var (latencies, errors) = await RunPhaseAsync(http, url, concurrency, duration, cancellationToken).ConfigureAwait(false);
            var wall = clock.Elapsed.TotalSeconds;
            var own = (Environment.CpuUsage.TotalTime - ownBefore).TotalSeconds;
            var serverAfter = pids.Count > 0 ? ProcessCpuReader.TryRead(pids) : null;
            double? server = serverBefore is { } b && serverAfter is { } a ? (a - b).TotalSeconds : null;
            var count = latencies.Count;
            var p50 = latencies.PercentileMs(0.50) ?? 0;
            var p99 = latencies.PercentileMs(0.99) ?? 0;
            var perSecond = count / wall;
            double? serverPercent = server / wall * 100;
            double? microsPerRequest = count > 0 ? server * 1e6 / count : null;
            failed |= errors > 0 || count == 0;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{probe,-10} {concurrency,5} {wall,7:F2} {count,9} {perSecond,8:F1} {p50,7:F2} {p99,7:F2} {errors,7} " +
                $"{(serverPercent is { } sp ? sp.ToString("F1", CultureInfo.InvariantCulture) : "-"),9} {(microsPerRequest is { } us ? us.ToString("F0", CultureInfo.InvariantCulture) : "-"),11} {own / wall * 100,8:F1}"));
            results.Add(new Dictionary<string, object?>
            {
                ["scenario"] = Name, ["probe"] = probe, ["url"] = url[0], ["concurrency"] = concurrency, ["wall_s"] = Math.Round(wall, 2),
                ["requests"] = count, ["requests_per_s"] = Math.Round(perSecond, 1), ["p50_ms"] = Math.Round(p50, 2),
                ["p99_ms"] = Math.Round(p99, 2), ["errors"] = errors,
                ["server_cpu_percent"] = serverPercent is { } p ? Math.Round(p, 1) : null,
                ["server_cpu_us_per_request"] = microsPerRequest is { } m ? Math.Round(m) : null,
                ["loadgen_cpu_percent"] = Math.Round(own / wall * 100, 1),
            });
        }

        if (json is not null)
        {
            await File.WriteAllLinesAsync(json, results.Select(r => JsonSerializer.Serialize(r)), cancellationToken).ConfigureAwait(false);
        }

        return failed ? ExitCodes.RunFailed : ExitCodes.Success;
    }

    /// <summary>Upserts the flow <c>bench-floor</c> and creates one PENDING run of it: its id, or null on any failure.</summary>
    private static async Task<string?> CreateRunAsync(HttpClient http, string api, CancellationToken cancellationToken)
    {
        try
        {
            using var flow = await http.PostAsync($"{api}/flows/", Json(new { name = "bench-floor", tags = Array.Empty<string>() }), cancellationToken).ConfigureAwait(false);
            if (!flow.IsSuccessStatusCode)
            {
                return null;
            }

            using var flowBody = JsonDocument.Parse(await flow.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            var flowId = flowBody.RootElement.GetProperty("id").GetString();
            using var run = await http.PostAsync($"{api}/flow_runs/", Json(new { flow_id = flowId, state = new { type = "PENDING" } }), cancellationToken).ConfigureAwait(false);
            if (!run.IsSuccessStatusCode)
            {
                return null;
            }

            using var runBody = JsonDocument.Parse(await run.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return runBody.RootElement.GetProperty("id").GetString();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Worker i repeats GET <paramref name="urls"/>[i] until <paramref name="seconds"/> have passed: the latency
    /// of every answered 200 (body read), and how many answers were anything else.</summary>
    private static async Task<(LatencyRecorder Latencies, int Errors)> RunPhaseAsync(HttpClient http, string[] urls, int concurrency, int seconds, CancellationToken cancellationToken)
    {
        var until = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        var errors = 0;
        var workers = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var mine = new LatencyRecorder();
            while (Stopwatch.GetTimestamp() < until && !cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.GetAsync(urls[worker], cancellationToken).ConfigureAwait(false);
                    await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        mine.RecordTicks(Stopwatch.GetTimestamp() - started);
                        continue;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // Refused, reset or timed out: count it, and do not spin on a dead server.
                    await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
                }

                Interlocked.Increment(ref errors);
            }

            return mine;
        }, CancellationToken.None))).ConfigureAwait(false);
        var all = new LatencyRecorder();
        foreach (var worker in workers)
        {
            all.Add(worker);
        }

        return (all, errors);
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
