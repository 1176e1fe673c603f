using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OrleansFlow.Client;

namespace OrleansFlow.Bench.Scenarios;

/// <summary><c>serve-pickup</c>: in-process pickup latency of a served deployment. A <see cref="FlowServer"/> in this
/// process serves one deployment of <see cref="ServePickupFlow.Probe"/> on the server at <c>--api</c> (default
/// <c>ORLEANSFLOW_API_URL</c>); the scenario then creates runs with
/// <c>POST /deployments/{id}/create_flow_run</c> one at a time and measures the time from sending that request to the
/// flow body starting (long poll wake-up, claim, PENDING, RUNNING), then bursts <c>--burst</c> runs at once to measure how
/// many runs per second one serving process sustains.</summary>
internal static class ServePickupCommand
{
    private const string Usage = "usage: serve-pickup [--api URL] [--runs N (200)] [--warmup N (10)] [--burst N (200)] [--limit N (16)]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        string? api = Environment.GetEnvironmentVariable("ORLEANSFLOW_API_URL");
        int runs = 200, warmup = 10, burst = 200, limit = 16;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--api" when value is not null: api = value; i++; break;
                case "--runs" when int.TryParse(value, CultureInfo.InvariantCulture, out var r) && r > 0: runs = r; i++; break;
                case "--warmup" when int.TryParse(value, CultureInfo.InvariantCulture, out var w) && w >= 0: warmup = w; i++; break;
                case "--burst" when int.TryParse(value, CultureInfo.InvariantCulture, out var b) && b >= 0: burst = b; i++; break;
                case "--limit" when int.TryParse(value, CultureInfo.InvariantCulture, out var l) && l > 0: limit = l; i++; break;
                case "--help" or "-h": await output.WriteLineAsync(Usage); return ExitCodes.Success;
                default:
                    await error.WriteLineAsync($"error: bad argument '{args[i]}'. {Usage}");
                    return ExitCodes.BadArguments;
            }
        }

        if (api is not { Length: > 0 })
        {
            await error.WriteLineAsync($"error: serve-pickup measures against a running server: pass --api http://HOST:PORT/api or set ORLEANSFLOW_API_URL. {Usage}");
            return ExitCodes.BadArguments;
        }

        using var scope = Flows.UseApi(api);
        var server = new FlowServer([Deployment.For(ServePickupFlow.Probe, name: "pickup", parameters: new { n = 0 })],
            new ServeOptions { Limit = limit, PollWait = TimeSpan.FromSeconds(10) });
        var deployment = (await server.RegisterAsync(cancellationToken)).Single();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var serving = server.RunAsync(stop.Token);
        using var http = OrleansFlowClient.Create(new Uri(api), "orleansflow-bench");

        async Task<Guid> CreateAsync(int n) =>
            (await http.CreateFlowRunFromDeploymentAsync(deployment.Id, new DeploymentFlowRunCreate { Parameters = new JsonObject { ["n"] = n } },
                cancellationToken)).Id;

        await output.WriteLineAsync($"serve-pickup: deployment {deployment.FlowName}/{deployment.Name} on {http.ApiUrl}, {warmup} warm-up + {runs} runs one at a time, then a burst of {burst} (limit {limit})");
        var latencies = new List<double>(runs);
        for (var i = 0; i < warmup + runs; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            var id = await CreateAsync(i);
            var started = await ServePickupFlow.StartOf(id).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            ServePickupFlow.Forget(id);
            if (i >= warmup)
            {
                latencies.Add(Stopwatch.GetElapsedTime(sent, started).TotalMilliseconds);
            }

            // Let the run finish (COMPLETED) before the next, so each pickup is measured on an idle server.
            while (server.RunningCount > 0)
            {
                await Task.Delay(1, cancellationToken);
            }
        }

        latencies.Sort();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"pickup latency (create_flow_run sent -> flow body starts), {latencies.Count} runs: p50 {P(latencies, 0.50):0.0} ms, p90 {P(latencies, 0.90):0.0} ms, p99 {P(latencies, 0.99):0.0} ms, max {latencies[^1]:0.0} ms, mean {latencies.Average():0.0} ms"));

        if (burst > 0)
        {
            var clock = Stopwatch.StartNew();
            var ids = await Task.WhenAll(Enumerable.Range(0, burst).Select(CreateAsync));
            var created = clock.Elapsed;
            await Task.WhenAll(ids.Select(ServePickupFlow.StartOf)).WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
            while (server.RunningCount > 0)
            {
                await Task.Delay(5, cancellationToken);
            }

            var elapsed = clock.Elapsed;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"burst: {burst} runs created in {created.TotalSeconds:0.00} s, all run to COMPLETED in {elapsed.TotalSeconds:0.00} s: {burst / elapsed.TotalSeconds:0.0} runs/s through one serving process"));
        }

        await stop.CancelAsync();
        await serving;
        return ExitCodes.Success;
    }

    private static double P(List<double> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
