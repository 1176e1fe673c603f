using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using OrleansFlow.Testing;
using Xunit.Abstractions;

namespace OrleansFlow.Cli.Tests.Cluster;

/// <summary>Issue 14: a run-deployment action starts exactly one run per firing, even when the silo executing it dies
/// mid-action. Two <c>orleansflow server start</c> processes form one cluster on PostgreSQL; an automation runs a
/// deployment when a posted event arrives. Both servers get <c>ORLEANSFLOW_TEST_HOLD_AFTER_ACTION</c> (the silo's
/// <c>AutomationActionHold</c>), so whichever silo executes the action stops after the run exists and before the firing's
/// row records it, and names itself in the hold file; the test checks that moment (one run, the firing pending), kills
/// that process with SIGKILL, and then waits for the survivor to finish the firing: the dispatcher's cursor had not moved
/// past the event, so it delivers the event again; that activates the automation grain on the survivor, and the new
/// activation executes the pending firing before it looks at the (already applied) event; its run-deployment finds the
/// run by its idempotency key.</summary>
public sealed class AutomationSiloKillTests(ITestOutputHelper output)
{
    private const string HoldVariable = "ORLEANSFLOW_TEST_HOLD_AFTER_ACTION";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    // If the dispatcher died with the victim, its reminder (a minute apart) starts it on the survivor: allow for that.
    private static readonly TimeSpan FailoverDeadline = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task TheSiloExecutingARunDeploymentActionIsKilledAfterCreatingTheRun_TheSurvivorCompletesTheFiringWithThatOneRun()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        var clusterId = "autokill-" + Guid.NewGuid().ToString("N")[..8];
        var hold = Path.Combine(Path.GetTempPath(), $"orleansflow-hold-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var siloPorts = new[] { FreePort.Next(), FreePort.Next() };
        var started = await Task.WhenAll(siloPorts.Select(port => ServerProcess.StartAsync(database.Url, new Dictionary<string, string?>
        {
            ["ORLEANSFLOW_CLUSTER_ID"] = clusterId,
            ["ORLEANSFLOW_SILO_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            [HoldVariable] = hold,
            // The automation grain's and dispatcher's information lines (firings, redeliveries), quoted if the test fails.
            ["Logging__LogLevel__OrleansFlow.Silo.Automations"] = "Information",
        })));
        await using var first = started[0];
        await using var second = started[1];
        var via = started.Select(s => s.CreateClient()).ToArray();
        try
        {
            await Poll.UntilAsync(async () => await ClusterMembership.ActiveSilosAsync(database, clusterId) == 2, Deadline,
                "both servers to be active in the membership table");
            await KillMidActionAsync(database, started, siloPorts, via, hold);
        }
        finally
        {
            foreach (var http in via)
            {
                http.Dispose();
            }

            File.Delete(hold);
        }
    }

    private async Task KillMidActionAsync(PostgresTestDatabase database, ServerProcess[] servers, int[] siloPorts, HttpClient[] via, string hold)
    {
        var flowId = (await PostAsync(via[0], "flows/", new { name = "recover" }))["id"]!.GetValue<Guid>();
        var deploymentId = (await PostAsync(via[0], "deployments/", new { name = "on-alarm", flow_id = flowId }))["id"]!.GetValue<Guid>();
        var thing = $"acme.alarm.{Guid.NewGuid():N}";
        var automationId = (await PostAsync(via[1], "automations/", JsonNode.Parse($$"""
            {"name": "run on alarm",
             "trigger": {"type": "event", "match": {"prefect.resource.id": "{{thing}}"}, "expect": ["acme.alarm.raised"],
                         "posture": "Reactive", "threshold": 1, "within": 0},
             "actions": [{"type": "run-deployment", "source": "selected", "deployment_id": "{{deploymentId}}"}]}
            """)!))["id"]!.GetValue<Guid>();

        // The dispatcher's first pass starts at the newest event: the alarm must come after it.
        await Poll.UntilAsync(async () => await CursorAsync(database) is not null, Deadline, "the automation dispatcher's first pass");
        await PostEventAsync(via[0], thing);

        // The silo executing the action created the run and stopped before recording it: the firing is pending.
        await Poll.UntilAsync(() => File.Exists(hold), Deadline, "a silo to hold after the run-deployment action");
        var claim = await File.ReadAllLinesAsync(hold);
        var (pid, firingId, actionIndex) = (int.Parse(claim[0], CultureInfo.InvariantCulture), Guid.Parse(claim[1]), int.Parse(claim[2], CultureInfo.InvariantCulture));
        var victim = Array.FindIndex(servers, s => s.ProcessId == pid);
        Assert.True(victim >= 0, $"The hold was taken by process {pid}, not one of the servers.");
        var survivor = via[1 - victim];
        Assert.Equal(0, actionIndex);
        var pending = Assert.Single((await GetAsync(survivor, $"automations/{automationId}/firings")).AsArray())!;
        Assert.Equal((firingId, "pending", "pending"), (pending["id"]!.GetValue<Guid>(), pending["status"]!.GetValue<string>(),
            pending["action_results"]![0]!["status"]!.GetValue<string>()));
        var run = Assert.Single(await DeploymentRunsAsync(survivor, deploymentId))!;
        var runId = run["id"]!.GetValue<Guid>();
        Assert.Equal($"automation {automationId}, action 0, invocation {firingId}", run["idempotency_key"]!.GetValue<string>());
        var dispatcherDiedToo = await DispatcherSiloAsync(survivor, siloPorts) == victim;

        var clock = Stopwatch.StartNew();
        var exitCode = await servers[victim].KillAsync();
        Assert.Equal(137, exitCode);

        // The survivor finishes the firing, with the run the dead silo created.
        JsonNode? done = null;
        try
        {
            await Poll.UntilAsync(async () =>
            {
                var firings = (await GetAsync(survivor, $"automations/{automationId}/firings")).AsArray();
                done = firings.Count == 1 && firings[0]!["status"]!.GetValue<string>() != "pending" ? firings[0] : null;
                return done is not null;
            }, FailoverDeadline, "the survivor to complete the firing", TimeSpan.FromMilliseconds(250));
        }
        catch (TimeoutException)
        {
            output.WriteLine($"The survivor's output:\n{servers[1 - victim].Output}");
            throw;
        }
        output.WriteLine($"SIGKILL to process {pid} (server {victim}) holding firing {firingId} after its run-deployment created run {runId}; " +
            $"the automation dispatcher {(dispatcherDiedToo ? "was on that server too (its reminder restarts it)" : "was on the survivor")}; " +
            $"the survivor completed the firing {clock.Elapsed.TotalSeconds:0.0} s after the kill.");
        output.WriteLine(done!.ToJsonString());
        var result = done["action_results"]![0]!;
        Assert.Equal((firingId, "completed", "completed", $"prefect.flow-run.{runId}"), (done["id"]!.GetValue<Guid>(), done["status"]!.GetValue<string>(),
            result["status"]!.GetValue<string>(), result["resource_id"]!.GetValue<string>()));
        Assert.Contains("already existed for this firing", result["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal([runId], (await DeploymentRunsAsync(survivor, deploymentId)).Select(r => r!["id"]!.GetValue<Guid>()));
        Assert.Equal(1, await DeploymentRunCountAsync(database, deploymentId));
        Assert.False(servers[1 - victim].HasExited, servers[1 - victim].Output);

        // The next alarm is a second firing, executed by the survivor alone: a second run, and no firing lost.
        await PostEventAsync(survivor, thing);
        await Poll.UntilAsync(async () => (await GetAsync(survivor, $"automations/{automationId}/firings")).AsArray()
            .Count(f => f!["status"]!.GetValue<string>() == "completed") == 2, Deadline, "the second firing to complete");
        var firingIds = (await GetAsync(survivor, $"automations/{automationId}/firings")).AsArray().Select(f => f!["id"]!.GetValue<Guid>()).ToList();
        Assert.Equal(2, firingIds.Distinct().Count());
        Assert.Contains(firingId, firingIds);
        Assert.Equal(2, await DeploymentRunCountAsync(database, deploymentId));
    }

    private static Task PostEventAsync(HttpClient http, string resource) =>
        PostAsync(http, "events", new[]
        {
            new Dictionary<string, object>
            {
                ["id"] = Guid.NewGuid(),
                ["occurred"] = DateTimeOffset.UtcNow,
                ["event"] = "acme.alarm.raised",
                ["resource"] = new Dictionary<string, string> { ["prefect.resource.id"] = resource },
            },
        });

    private static async Task<JsonArray> DeploymentRunsAsync(HttpClient http, Guid deploymentId)
    {
        using var response = await http.PostAsJsonAsync("flow_runs/filter", new { deployments = new { id = new { any_ = new[] { deploymentId } } } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST flow_runs/filter: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsArray();
    }

    /// <summary>Which server's silo (by silo port) holds the automation dispatcher, as the Orleans Dashboard counts
    /// activations (refreshed every second); -1 when it is not counted yet.</summary>
    private static async Task<int> DispatcherSiloAsync(HttpClient http, int[] siloPorts)
    {
        var counters = await GetAsync(http, "../dashboard/DashboardCounters");
        foreach (var stat in counters["simpleGrainStats"]!.AsArray())
        {
            if (stat!["grainType"]!.GetValue<string>().EndsWith(".AutomationDispatcherGrain", StringComparison.Ordinal) && stat["activationCount"]!.GetValue<int>() > 0)
            {
                return Array.FindIndex(siloPorts, port => stat["siloAddress"]!.GetValue<string>().StartsWith($"127.0.0.1:{port}@", StringComparison.Ordinal));
            }
        }

        return -1;
    }

    private static async Task<long?> CursorAsync(PostgresTestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT seq FROM automation_cursors WHERE name = 'automations'", connection);
        return await command.ExecuteScalarAsync() is long seq ? seq : null;
    }

    private static async Task<long> DeploymentRunCountAsync(PostgresTestDatabase database, Guid deploymentId)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM flow_runs WHERE deployment_id = @id", connection);
        command.Parameters.AddWithValue("id", deploymentId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    private static async Task<JsonNode> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
