using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using OrleansFlow.Testing;
using Xunit.Abstractions;

namespace OrleansFlow.Cli.Tests.Cluster;

/// <summary>An upgrade as Kubernetes rolls it: three silos behind one gateway (<c>orleansflow gateway start</c>), each
/// silo stopped with SIGTERM and replaced by a new process, one at a time, while clients drive runs through the gateway
/// as the Prefect client does (a transition id in every <c>set_state</c>). No request may fail, and every state the
/// gateway acknowledged must be in its run's history exactly once.</summary>
public sealed class RollingRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly string[] Lifecycle = ["PENDING", "RUNNING", "COMPLETED"];
    private const int Drivers = 6;

    [Fact]
    public async Task SilosRestartedOneAtATimeUnderLoad_TheGatewayFailsNoRequest_AndLosesNoAcknowledgedState()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        var clusterId = "roll-" + Guid.NewGuid().ToString("N")[..8];
        var silos = (await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartSiloAsync(database, clusterId)))).ToList();
        var stopped = new List<ServerProcess>();
        try
        {
            await using var gateway = await ServerProcess.StartGatewayAsync(database.Url, new Dictionary<string, string?> { ["ORLEANSFLOW_CLUSTER_ID"] = clusterId });
            using var api = gateway.CreateClient();
            api.Timeout = TimeSpan.FromSeconds(60);
            await Poll.UntilAsync(async () => await ActiveSilosAsync(database, clusterId) == 3, Deadline, "three active silos");
            await Poll.UntilAsync(async () => (await api.GetAsync("ready")).StatusCode == HttpStatusCode.OK, Deadline, "the gateway to be ready");
            var flowId = (await SendAsync(api, HttpMethod.Post, "flows/", new { name = "rolling" })).Body!["id"]!.GetValue<Guid>();

            var failures = new ConcurrentQueue<string>();
            var acknowledged = new ConcurrentBag<(Guid Run, Guid StateId)>();
            var completedRuns = new ConcurrentBag<Guid>();
            var requests = 0;
            using var stop = new CancellationTokenSource();
            var load = Enumerable.Range(0, Drivers).Select(driver => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var (created, run) = await SendAsync(api, HttpMethod.Post, "flow_runs/", new { flow_id = flowId, name = $"d{driver}-{i}", state = new { type = "SCHEDULED" } });
                    Interlocked.Increment(ref requests);
                    if (created >= 300)
                    {
                        failures.Enqueue($"create: {created} {run}");
                        continue;
                    }

                    var id = run!["id"]!.GetValue<Guid>();
                    foreach (var type in Lifecycle)
                    {
                        var (status, body) = await SendAsync(api, HttpMethod.Post, $"flow_runs/{id}/set_state",
                            new { state = new { type, state_details = new { transition_id = Guid.NewGuid() } }, force = false });
                        Interlocked.Increment(ref requests);
                        if (status >= 300 || body!["status"]!.GetValue<string>() != "ACCEPT")
                        {
                            failures.Enqueue($"{type} of {id}: {status} {body}");
                            break;
                        }

                        acknowledged.Add((id, body["state"]!["id"]!.GetValue<Guid>()));
                        if (type == "COMPLETED")
                        {
                            completedRuns.Add(id);
                        }
                    }

                    var (read, _) = await SendAsync(api, HttpMethod.Get, $"flow_runs/{id}", null);
                    Interlocked.Increment(ref requests);
                    if (read >= 300)
                    {
                        failures.Enqueue($"read {id}: {read}");
                    }
                }
            })).ToArray();

            // Each silo in turn: SIGTERM (it leaves the cluster and its activations end), then a new process in its place.
            var restarts = new List<string>();
            var exitCodes = new List<int>();
            await Poll.UntilAsync(() => Task.FromResult(completedRuns.Count >= Drivers), Deadline, "the load to get going");
            for (var i = 0; i < 3; i++)
            {
                var before = completedRuns.Count;
                var watch = Stopwatch.StartNew();
                var exitCode = await silos[0].StopAsync(Deadline);
                var stopTime = watch.Elapsed;
                exitCodes.Add(exitCode);
                stopped.Add(silos[0]);
                silos.RemoveAt(0);
                silos.Add(await StartSiloAsync(database, clusterId));
                await Poll.UntilAsync(async () => await ActiveSilosAsync(database, clusterId) == 3, Deadline, "the replacement silo to be active");
                restarts.Add($"silo {i + 1}: exit code {exitCode} after {stopTime.TotalSeconds:0.0} s, replaced and active after {watch.Elapsed.TotalSeconds:0.0} s");

                // Runs went on through the restart before the next one.
                await Poll.UntilAsync(() => Task.FromResult(completedRuns.Count >= before + Drivers), Deadline, "runs to complete after the restart");
            }

            await stop.CancelAsync();
            await Task.WhenAll(load).WaitAsync(Deadline);
            output.WriteLine(string.Join("\n", restarts));
            output.WriteLine($"{requests} requests through the gateway, {failures.Count} failed; {completedRuns.Count} runs completed; {acknowledged.Count} states acknowledged");
            Assert.True(failures.IsEmpty, $"{failures.Count} of {requests} requests failed:\n{string.Join("\n", failures.Take(20))}\n--- gateway:\n{gateway.Output}");

            // Every acknowledged state is in its run's history exactly once; a completed run went through its lifecycle once.
            foreach (var run in acknowledged.Select(a => a.Run).Distinct())
            {
                var history = (await SendAsync(api, HttpMethod.Get, $"flow_run_states/?flow_run_id={run}", null)).Body!.AsArray();
                foreach (var (_, stateId) in acknowledged.Where(a => a.Run == run))
                {
                    Assert.Single(history, s => s!["id"]!.GetValue<Guid>() == stateId);
                }

                if (completedRuns.Contains(run))
                {
                    Assert.Equal(["SCHEDULED", .. Lifecycle], history.Select(s => s!["type"]!.GetValue<string>()));
                }
            }

            Assert.Equal([0, 0, 0], exitCodes);
        }
        finally
        {
            foreach (var silo in silos.Concat(stopped))
            {
                await silo.DisposeAsync();
            }
        }
    }

    private static Task<ServerProcess> StartSiloAsync(PostgresTestDatabase database, string clusterId) =>
        ServerProcess.StartAsync(database.Url, new Dictionary<string, string?>
        {
            ["ORLEANSFLOW_CLUSTER_ID"] = clusterId,
            ["ORLEANSFLOW_SILO_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["ORLEANSFLOW_SILO_GATEWAY_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        });

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

    private static async Task<long> ActiveSilosAsync(PostgresTestDatabase database, string clusterId)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = @cluster AND Status = 3", connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
