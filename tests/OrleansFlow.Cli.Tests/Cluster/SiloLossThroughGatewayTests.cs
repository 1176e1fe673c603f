using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Testing;
using Xunit.Abstractions;

namespace OrleansFlow.Cli.Tests.Cluster;

/// <summary>Three silos behind one gateway (<c>orleansflow gateway start</c>) on one PostgreSQL database lose silos while
/// clients drive runs through the gateway as the Prefect client does (a transition id in every <c>set_state</c>): in an
/// upgrade as Kubernetes rolls it (each silo in turn gets SIGTERM and a new process takes its place), and to SIGKILL. No
/// request may fail, and every state the gateway acknowledged must be in its run's history exactly once.</summary>
public sealed class SiloLossThroughGatewayTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly string[] Lifecycle = ["PENDING", "RUNNING", "COMPLETED"];
    private const int Drivers = 6;

    [Fact]
    public Task SilosRestartedOneAtATimeUnderLoad_TheGatewayFailsNoRequest_AndLosesNoAcknowledgedState() =>
        UnderLoadAsync(async (cluster, load) =>
        {
            var exitCodes = new List<int>();
            for (var i = 0; i < 3; i++)
            {
                var before = load.Completed;
                var watch = Stopwatch.StartNew();
                var exitCode = await cluster.Silos[0].StopAsync(Deadline);
                var stopTime = watch.Elapsed;
                exitCodes.Add(exitCode);
                await cluster.ReplaceAsync(cluster.Silos[0]);
                output.WriteLine($"silo {i + 1}: exit code {exitCode} after {stopTime.TotalSeconds:0.0} s, replaced and active after {watch.Elapsed.TotalSeconds:0.0} s");

                // Runs went on through the restart before the next one.
                await Poll.UntilAsync(() => Task.FromResult(load.Completed >= before + Drivers), Deadline, "runs to complete after the restart");
            }

            Assert.Equal([0, 0, 0], exitCodes);
        });

    [Fact]
    public Task ASiloKilledUnderLoad_TheGatewaySendsItsCallsAgain_AndFailsNoRequest() =>
        UnderLoadAsync(async (cluster, load) =>
        {
            var before = load.Completed;
            var victim = cluster.Silos[1];
            var kill = Stopwatch.StartNew();
            Assert.Equal(137, await victim.KillAsync());
            await Poll.UntilAsync(() => Task.FromResult(load.Completed >= before + 2 * Drivers), Deadline, "runs to complete after the kill");
            var recovered = kill.Elapsed;
            await Poll.UntilAsync(async () => await cluster.ActiveSilosAsync() == 2, Deadline, "the killed silo to be voted dead");
            output.WriteLine($"SIGKILL to one of three silos: {2 * Drivers} more runs completed {recovered.TotalSeconds:0.0} s after it, " +
                $"voted dead after {kill.Elapsed.TotalSeconds:0.0} s; slowest request in flight at or after the kill {load.SlowestSince(kill):0} ms");
            await cluster.ReplaceAsync(victim);
        });

    /// <summary>Starts the cluster and the load, runs <paramref name="disrupt"/>, stops the load and checks what it saw.</summary>
    private async Task UnderLoadAsync(Func<Cluster, Load, Task> disrupt)
    {
        await using var cluster = await Cluster.StartAsync();
        using var api = cluster.Gateway.CreateClient();
        api.Timeout = TimeSpan.FromSeconds(60);
        await Poll.UntilAsync(async () => (await api.GetAsync("ready")).StatusCode == HttpStatusCode.OK, Deadline, "the gateway to be ready");
        var flowId = (await SendAsync(api, HttpMethod.Post, "flows/", new { name = "silo-loss" })).Body!["id"]!.GetValue<Guid>();
        var load = new Load(api, flowId);
        using var stop = new CancellationTokenSource();
        var drivers = Enumerable.Range(0, Drivers).Select(driver => Task.Run(() => load.DriveAsync(driver, stop.Token))).ToArray();
        await Poll.UntilAsync(() => Task.FromResult(load.Completed >= Drivers), Deadline, "the load to get going");

        await disrupt(cluster, load);

        await stop.CancelAsync();
        await Task.WhenAll(drivers).WaitAsync(Deadline);
        output.WriteLine($"{load.Requests} requests through the gateway, {load.Failures.Count} failed; {load.Completed} runs completed; " +
            $"{load.Acknowledged.Count} states acknowledged");
        Assert.True(load.Failures.IsEmpty,
            $"{load.Failures.Count} of {load.Requests} requests failed:\n{string.Join("\n", load.Failures.Take(20))}\n--- gateway:\n{cluster.Gateway.Output}");

        // Every acknowledged state is in its run's history exactly once; a completed run went through its lifecycle once.
        foreach (var run in load.Acknowledged.Select(a => a.Run).Distinct())
        {
            var history = (await SendAsync(api, HttpMethod.Get, $"flow_run_states/?flow_run_id={run}", null)).Body!.AsArray();
            foreach (var (_, stateId) in load.Acknowledged.Where(a => a.Run == run))
            {
                Assert.Single(history, s => s!["id"]!.GetValue<Guid>() == stateId);
            }

            if (load.CompletedRuns.Contains(run))
            {
                Assert.Equal(["SCHEDULED", .. Lifecycle], history.Select(s => s!["type"]!.GetValue<string>()));
            }
        }
    }

    /// <summary>Clients creating runs and driving each through its lifecycle, then reading it, one request at a time each.</summary>
    private sealed class Load(HttpClient api, Guid flowId)
    {
        private int _requests;
        private readonly ConcurrentQueue<(long At, double Ms)> _latencies = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public ConcurrentQueue<string> Failures { get; } = new();

        public ConcurrentBag<(Guid Run, Guid StateId)> Acknowledged { get; } = [];

        public ConcurrentBag<Guid> CompletedRuns { get; } = [];

        public int Requests => Volatile.Read(ref _requests);

        public int Completed => CompletedRuns.Count;

        /// <summary>The longest request, in ms, among those that ended after <paramref name="since"/> was started (those
        /// in flight at that moment included).</summary>
        public double SlowestSince(Stopwatch since)
        {
            var from = _clock.ElapsedMilliseconds - since.ElapsedMilliseconds;
            return _latencies.Where(l => l.At + l.Ms >= from).Select(l => l.Ms).DefaultIfEmpty(0).Max();
        }

        public async Task DriveAsync(int driver, CancellationToken stop)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var (created, run) = await TimedAsync(HttpMethod.Post, "flow_runs/", new { flow_id = flowId, name = $"d{driver}-{i}", state = new { type = "SCHEDULED" } });
                if (created >= 300)
                {
                    Failures.Enqueue($"create: {created} {run}");
                    continue;
                }

                var id = run!["id"]!.GetValue<Guid>();
                foreach (var type in Lifecycle)
                {
                    var (status, body) = await TimedAsync(HttpMethod.Post, $"flow_runs/{id}/set_state",
                        new { state = new { type, state_details = new { transition_id = Guid.NewGuid() } }, force = false });
                    if (status >= 300 || body!["status"]!.GetValue<string>() != "ACCEPT")
                    {
                        Failures.Enqueue($"{type} of {id}: {status} {body}");
                        break;
                    }

                    Acknowledged.Add((id, body["state"]!["id"]!.GetValue<Guid>()));
                    if (type == "COMPLETED")
                    {
                        CompletedRuns.Add(id);
                    }
                }

                var (read, _) = await TimedAsync(HttpMethod.Get, $"flow_runs/{id}", null);
                if (read >= 300)
                {
                    Failures.Enqueue($"read {id}: {read}");
                }
            }
        }

        private async Task<(int Status, JsonNode? Body)> TimedAsync(HttpMethod method, string path, object? body)
        {
            var at = _clock.ElapsedMilliseconds;
            var watch = Stopwatch.StartNew();
            var answer = await SendAsync(api, method, path, body);
            _latencies.Enqueue((at, watch.Elapsed.TotalMilliseconds));
            Interlocked.Increment(ref _requests);
            return answer;
        }
    }

    /// <summary>Three silo processes (<c>server start</c> with a client gateway port each) and a gateway process on a
    /// fresh PostgreSQL database, under a cluster id of their own.</summary>
    private sealed class Cluster : IAsyncDisposable
    {
        private readonly PostgresTestDatabase _database;
        private readonly string _clusterId = "loss-" + Guid.NewGuid().ToString("N")[..8];
        private readonly List<ServerProcess> _gone = [];

        private Cluster(PostgresTestDatabase database) => _database = database;

        public List<ServerProcess> Silos { get; } = [];

        public ServerProcess Gateway { get; private set; } = null!;

        public static async Task<Cluster> StartAsync()
        {
            var cluster = new Cluster(await PostgresServer.CreateDatabaseAsync());
            try
            {
                cluster.Silos.AddRange(await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => cluster.StartSiloAsync())));
                cluster.Gateway = await ServerProcess.StartGatewayAsync(cluster._database.Url,
                    new Dictionary<string, string?> { ["ORLEANSFLOW_CLUSTER_ID"] = cluster._clusterId });
                await Poll.UntilAsync(async () => await cluster.ActiveSilosAsync() == 3, Deadline, "three active silos");
                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }

        /// <summary>Starts a new silo in place of <paramref name="silo"/> (stopped or killed) and waits until three are active.</summary>
        public async Task ReplaceAsync(ServerProcess silo)
        {
            Silos.Remove(silo);
            _gone.Add(silo);
            Silos.Add(await StartSiloAsync());
            await Poll.UntilAsync(async () => await ActiveSilosAsync() == 3, Deadline, "the replacement silo to be active");
        }

        public Task<long> ActiveSilosAsync() => ClusterMembership.ActiveSilosAsync(_database, _clusterId);

        public async ValueTask DisposeAsync()
        {
            foreach (var process in Silos.Concat(_gone).Append(Gateway).OfType<ServerProcess>())
            {
                await process.DisposeAsync();
            }

            await _database.DisposeAsync();
        }

        private Task<ServerProcess> StartSiloAsync() =>
            ServerProcess.StartAsync(_database.Url, new Dictionary<string, string?>
            {
                ["ORLEANSFLOW_CLUSTER_ID"] = _clusterId,
                ["ORLEANSFLOW_SILO_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["ORLEANSFLOW_SILO_GATEWAY_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            });
    }

    private static async Task<(int Status, JsonNode? Body)> SendAsync(HttpClient http, HttpMethod method, string path, object? body)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, text.Length > 0 && text[0] is '{' or '[' ? JsonNode.Parse(text) : JsonValue.Create(text));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (0, JsonValue.Create(ex.Message));
        }
    }
}
