using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Testing;

namespace OrleansFlow.Worker.Tests.Cluster;

/// <summary>The cluster topology of deploy/k8s as real processes on one PostgreSQL database: three silos
/// (<c>orleansflow server start</c> with a client gateway port each), one HTTP gateway (<c>orleansflow gateway start</c>,
/// an Orleans client hosting no grain) and a process worker that knows only the gateway. Deployments run end to end
/// through the gateway: the worker polls it, the flow programs report their states to it, and every grain call it makes
/// goes to the silos.</summary>
public sealed class GatewayTierTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private const int RunsPerDeployment = 4;

    [Fact]
    public async Task ThreeSilosAGatewayAndAWorker_DeploymentsRunThroughTheGateway_AndTheGatewayIsNoSilo()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        var clusterId = "tier-" + Guid.NewGuid().ToString("N")[..8];

        // The gateway starts with the silos, before any of them is active: it keeps trying to connect until one is.
        var gatewayStart = ServerProcess.StartGatewayAsync(database.Url, new Dictionary<string, string?> { ["ORLEANSFLOW_CLUSTER_ID"] = clusterId });
        var silos = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ServerProcess.StartAsync(database.Url, new Dictionary<string, string?>
        {
            ["ORLEANSFLOW_CLUSTER_ID"] = clusterId,
            ["ORLEANSFLOW_SILO_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["ORLEANSFLOW_SILO_GATEWAY_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        })));
        await using var silo0 = silos[0];
        await using var silo1 = silos[1];
        await using var silo2 = silos[2];
        await using var gateway = await gatewayStart;
        using var api = gateway.CreateClient();
        await Poll.UntilAsync(async () => await ActiveSilosAsync(database, clusterId) == 3, Deadline, "the three silos to be active");
        await Poll.UntilAsync(async () =>
        {
            using var ready = await api.GetAsync("ready");
            return ready.StatusCode == HttpStatusCode.OK;
        }, Deadline, "the gateway to be ready");

        using (var pool = await api.PostAsJsonAsync("work_pools/", new { name = "tier", type = "process" }))
        {
            Assert.Equal(HttpStatusCode.Created, pool.StatusCode);
        }

        var flow = await PostOkAsync(api, "flows/", new { name = "worker-program-greet" });
        var runs = new List<Guid>();
        foreach (var name in new[] { "morning", "evening" })
        {
            var deployment = await PostOkAsync(api, "deployments/", new
            {
                name,
                flow_id = flow["id"]!.GetValue<string>(),
                work_pool_name = "tier",
                infra_overrides = new { command = Fixture.FlowProgramCommand() },
                parameters = new { name, times = 2 },
            });
            for (var i = 0; i < RunsPerDeployment; i++)
            {
                var run = await PostOkAsync(api, $"deployments/{deployment["id"]!.GetValue<string>()}/create_flow_run", new { });
                runs.Add(Guid.Parse(run["id"]!.GetValue<string>()));
            }
        }

        await using var worker = WorkerProcess.Start(gateway.ApiUrl, "tier");
        await Poll.UntilAsync(async () =>
        {
            var states = await Task.WhenAll(runs.Select(async run => (await GetAsync(api, $"flow_runs/{run}"))["state"]?["type"]?.GetValue<string>()));
            return states.All(state => state == "COMPLETED");
        }, Deadline, $"the {runs.Count} runs to complete; worker output:\n{worker.Output}");

        // Each run went through its lifecycle once, as recorded by the grains on the silos and read through the gateway.
        foreach (var run in runs)
        {
            var history = (await GetAsync(api, $"flow_run_states/?flow_run_id={run}")).AsArray();
            Assert.Equal(["SCHEDULED", "PENDING", "RUNNING", "COMPLETED"], history.Select(s => s!["type"]!.GetValue<string>()));
        }

        // The gateway is a client: the cluster is the three silos, and every process is still up.
        Assert.Equal(3, await ActiveSilosAsync(database, clusterId));
        Assert.All(silos.Append(gateway), process => Assert.False(process.HasExited, process.Output));
        Assert.Contains("OrleansFlow gateway on", gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatewayOnSqlite_RefusesToStart_NamingTheDatabaseSetting()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartGatewayAsync(null, startTimeout: TimeSpan.FromSeconds(30)));
        Assert.Contains("ORLEANSFLOW_DATABASE_URL", failure.Message, StringComparison.Ordinal);
    }

    private static async Task<JsonNode> PostOkAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private static async Task<JsonNode> GetAsync(HttpClient api, string path) => JsonNode.Parse(await api.GetStringAsync(path))!;

    private static Task<long> ActiveSilosAsync(PostgresTestDatabase database, string clusterId) =>
        ClusterMembership.ActiveSilosAsync(database, clusterId);
}
