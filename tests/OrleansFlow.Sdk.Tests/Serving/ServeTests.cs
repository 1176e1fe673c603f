using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Sdk.Tests.Infrastructure;
using OrleansFlow.Testing;

namespace OrleansFlow.Sdk.Tests.Serving;

/// <summary>Deployments served in the test process by a <see cref="FlowServer"/> against a real server over HTTP (SQLite
/// and PostgreSQL): runs created on the server are picked up by the long poll and run here.</summary>
public sealed class ServeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CreateFlowRun_ServedDeployment_RunsInProcessWithItsParameters(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();
        var flowServer = new FlowServer([Deployment.For(ServedFlows.Greet, name: "on-demand", parameters: new { times = 2 }, tags: ["served"],
            description: "Greets.", version: "7")]);
        var deployment = Assert.Single(await flowServer.RegisterAsync());
        using var stop = new CancellationTokenSource();
        var serving = flowServer.RunAsync(stop.Token);

        var stored = JsonNode.Parse(await server.Http.GetStringAsync($"deployments/{deployment.Id}"))!.AsObject();
        Assert.Equal("served-greet", deployment.FlowName);
        Assert.Equal(["served"], stored["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("Greets.", stored.Str("description"));
        Assert.Equal("7", stored.Str("version"));
        Assert.Equal("serve", stored.Str("work_pool_name"));
        Assert.Equal(2, stored["parameters"]!["times"]!.GetValue<int>());
        var schema = stored["parameter_openapi_schema"]!;
        Assert.Equal(["who"], schema["required"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("string", schema["properties"]!["who"]!["type"]!.GetValue<string>());
        Assert.Equal(1, schema["properties"]!["times"]!["default"]!.GetValue<int>());

        var run = await CreateFlowRunAsync(server, deployment.Id, new JsonObject { ["who"] = "ada" });
        var done = await WaitForStateAsync(server, run, "COMPLETED");

        Assert.Equal("ADA ADA", ServedFlows.Greetings[run]);
        Assert.Equal("ada", done["parameters"]!["who"]!.GetValue<string>());
        Assert.Equal(["Scheduled", "Pending", "Running", "Completed"], await server.FlowRunStateNamesAsync(run));
        var task = Assert.Single(await server.TaskRunsAsync(run));
        Assert.Equal("Completed", task.Str("state_name"));

        // A parameter the flow does not take is refused by the deployment's schema, naming it.
        using var refused = await server.Http.PostAsJsonAsync($"deployments/{deployment.Id}/create_flow_run",
            new { parameters = new { who = "x", colour = "red" } });
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("colour", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await stop.CancelAsync();
        await serving.WaitAsync(Timeout);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IntervalSchedule_ServedDeployment_ScheduledRunsAreRun(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();
        var flowServer = new FlowServer([Deployment.For(ServedFlows.Tick, name: "every-2s", interval: TimeSpan.FromSeconds(2))],
            new ServeOptions { Limit = 2, PollWait = TimeSpan.FromSeconds(2) });
        var deployment = Assert.Single(await flowServer.RegisterAsync());
        using var stop = new CancellationTokenSource();
        var serving = flowServer.RunAsync(stop.Token);

        List<JsonObject> completed = [];
        await Poll.UntilAsync(async () =>
        {
            completed = [.. (await DeploymentRunsAsync(server, deployment.Id)).Where(r => r.Str("state_type") == "COMPLETED")];
            return completed.Count >= 2;
        }, Timeout, "two scheduled runs completed");

        Assert.All(completed, r => Assert.True(ServedFlows.Ticks.ContainsKey(r.Id())));
        Assert.All(completed, r => Assert.StartsWith($"scheduled {deployment.Id} ", r.Str("idempotency_key"), StringComparison.Ordinal));
        Assert.All(completed, r => Assert.Equal(["Scheduled", "Pending", "Running", "Completed"],
            server.FlowRunStateNamesAsync(r.Id()).GetAwaiter().GetResult().Where(n => n != "Late")));

        await stop.CancelAsync();
        await serving.WaitAsync(Timeout);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancel_RunningServedRun_FlowSeesItsTokenAndRunEndsCancelled(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();
        var flowServer = new FlowServer([Deployment.For(ServedFlows.WaitForCancellation, name: "long", parameters: new { seconds = 600 })],
            new ServeOptions { CancellationCheckInterval = TimeSpan.FromMilliseconds(200) });
        var deployment = Assert.Single(await flowServer.RegisterAsync());
        using var stop = new CancellationTokenSource();
        var serving = flowServer.RunAsync(stop.Token);

        var schema = JsonNode.Parse(await server.Http.GetStringAsync($"deployments/{deployment.Id}"))!["parameter_openapi_schema"]!;
        Assert.Null(schema["properties"]!["cancellationToken"]);

        var run = await CreateFlowRunAsync(server, deployment.Id, []);
        await WaitForStateAsync(server, run, "RUNNING");
        using (var cancel = await server.Http.PostAsJsonAsync($"flow_runs/{run}/set_state",
            new { state = new { type = "CANCELLING", name = "Cancelling" } }))
        {
            cancel.EnsureSuccessStatusCode();
        }

        var ended = await WaitForStateAsync(server, run, "CANCELLED");

        Assert.True(ServedFlows.SawCancellation[run]);
        Assert.Equal("Cancelled", ended.Str("state_name"));
        await Poll.UntilAsync(() => flowServer.RunningCount == 0, Timeout, "the cancelled run left the server");

        await stop.CancelAsync();
        await serving.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Stop_RunStillRunningAfterTheGracePeriod_IsCancelled()
    {
        await using var server = await SdkServer.StartAsync();
        using var api = server.Use();
        var flowServer = new FlowServer([Deployment.For(ServedFlows.WaitForCancellation, name: "stopped", parameters: new { seconds = 600 })],
            new ServeOptions { ShutdownGracePeriod = TimeSpan.FromMilliseconds(200) });
        var deployment = Assert.Single(await flowServer.RegisterAsync());
        using var stop = new CancellationTokenSource();
        var serving = flowServer.RunAsync(stop.Token);
        var run = await CreateFlowRunAsync(server, deployment.Id, []);
        await WaitForStateAsync(server, run, "RUNNING");

        await stop.CancelAsync();
        await serving.WaitAsync(Timeout);

        Assert.Equal("CANCELLED", (await server.FlowRunAsync(run)).Str("state_type"));
        Assert.True(ServedFlows.SawCancellation[run]);
        Assert.Equal(0, flowServer.RunningCount);
    }

    [Fact]
    public async Task Limit_One_RunsTheServedRunsOneAtATime()
    {
        await using var server = await SdkServer.StartAsync();
        using var api = server.Use();
        var flowServer = new FlowServer([Deployment.For(ServedFlows.Gated1, name: "one-at-a-time")], new ServeOptions { Limit = 1 });
        var deployment = Assert.Single(await flowServer.RegisterAsync());
        using var stop = new CancellationTokenSource();
        var serving = flowServer.RunAsync(stop.Token);

        var runs = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(await CreateFlowRunAsync(server, deployment.Id, []));
        }

        for (var done = 0; done < runs.Count; done++)
        {
            // One run at a time gets into the flow; releasing it lets the next one in.
            var expected = done;
            await Poll.UntilAsync(async () =>
            {
                var states = (await Task.WhenAll(runs.Select(server.FlowRunAsync))).Select(r => r.Str("state_type")).ToList();
                return states.Count(t => t == "COMPLETED") == expected && states.Count(t => t == "RUNNING") == 1;
            }, Timeout, $"{expected} runs completed and one running");
            ServedFlows.Gate.Release();
        }

        foreach (var run in runs)
        {
            await WaitForStateAsync(server, run, "COMPLETED");
        }

        Assert.All(runs, r => Assert.True(ServedFlows.Gated[r]));
        Assert.Equal(1, ServedFlows.MostAtOnce);

        await stop.CancelAsync();
        await serving.WaitAsync(Timeout);
    }

    [Fact]
    public async Task ServeAsync_RunsUntilItsTokenIsCancelled()
    {
        await using var server = await SdkServer.StartAsync();
        using var api = server.Use();
        using var stop = new CancellationTokenSource();
        using var log = new StringWriter();
        var serving = Flows.ServeAsync(new ServeOptions { Log = log }, stop.Token, Deployment.For(ServedFlows.Greet, name: "served-async"));
        JsonObject? deployment = null;
        await Poll.UntilAsync(async () =>
        {
            using var response = await server.Http.GetAsync("deployments/name/served-greet/served-async");
            deployment = response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject() : null;
            return deployment is not null;
        }, Timeout, "the deployment registered");

        var run = await CreateFlowRunAsync(server, deployment!.Id(), new JsonObject { ["who"] = "grace", ["times"] = 3 });
        await WaitForStateAsync(server, run, "COMPLETED");
        await stop.CancelAsync();
        await serving.WaitAsync(Timeout);

        Assert.Equal("GRACE GRACE GRACE", ServedFlows.Greetings[run]);
        Assert.Contains("Serving deployment 'served-greet/served-async'", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("Stopped serving.", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_CronRRuleAndPaused_StoredOnTheDeployments()
    {
        await using var server = await SdkServer.StartAsync();
        using var api = server.Use();
        var rule = "DTSTART;TZID=Europe/Paris:20260105T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,FR";
        var flowServer = new FlowServer(
        [
            Deployment.For(ServedFlows.Tick, name: "nightly", cron: "0 3 * * *", timezone: "Europe/Paris"),
            Deployment.For(ServedFlows.Tick, name: "weekly", rrule: rule, paused: true),
            Deployment.For(ServedFlows.Tick, name: "quarter-hour") with { Schedule = DeploymentSchedule.Every(TimeSpan.FromMinutes(15), DateTimeOffset.Parse("2026-01-01T00:05:00Z", System.Globalization.CultureInfo.InvariantCulture)) },
        ]);

        var deployments = await flowServer.RegisterAsync();
        var again = await new FlowServer([Deployment.For(ServedFlows.Tick, name: "nightly", cron: "30 4 * * *")]).RegisterAsync();

        var nightly = JsonNode.Parse(await server.Http.GetStringAsync($"deployments/{deployments[0].Id}"))!;
        var weekly = JsonNode.Parse(await server.Http.GetStringAsync($"deployments/{deployments[1].Id}"))!;
        var quarter = JsonNode.Parse(await server.Http.GetStringAsync($"deployments/{deployments[2].Id}"))!;
        Assert.Equal(deployments[0].Id, Assert.Single(again).Id);
        Assert.Equal("30 4 * * *", nightly["schedule"]!["cron"]!.GetValue<string>());
        Assert.Equal(rule, weekly["schedule"]!["rrule"]!.GetValue<string>());
        Assert.False(weekly["is_schedule_active"]!.GetValue<bool>());
        Assert.Equal(900, quarter["schedule"]!["interval"]!.GetValue<double>());
        Assert.Equal(["served-tick:nightly", "served-tick:weekly", "served-tick:quarter-hour"], deployments.Select(d => d.WorkQueue));
    }

    [Fact]
    public void For_TwoSchedulesOrUnknownParameter_Refused()
    {
        Assert.Throws<ArgumentException>(() => Deployment.For(ServedFlows.Tick, name: "x", cron: "* * * * *", interval: TimeSpan.FromMinutes(1)));
        var unknown = Assert.Throws<ArgumentException>(() => Deployment.For(ServedFlows.Greet, name: "x", parameters: new { whom = "x" }));
        Assert.Contains("whom", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Deployment.For(Shout, name: "x"));
    }

    private static string Shout(string text) => text;

    private static async Task<Guid> CreateFlowRunAsync(SdkServer server, Guid deploymentId, JsonObject parameters)
    {
        using var response = await server.Http.PostAsync($"deployments/{deploymentId}/create_flow_run",
            new StringContent(new JsonObject { ["parameters"] = parameters }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!.AsObject().Id();
    }

    private static async Task<JsonObject> WaitForStateAsync(SdkServer server, Guid run, string type)
    {
        JsonObject current = [];
        await Poll.UntilAsync(async () =>
        {
            current = await server.FlowRunAsync(run);
            return current.Str("state_type") == type;
        }, Timeout, $"run {run} {type}");
        return current;
    }

    private static async Task<List<JsonObject>> DeploymentRunsAsync(SdkServer server, Guid deploymentId)
    {
        using var response = await server.Http.PostAsync("flow_runs/filter", new StringContent(new JsonObject
        {
            ["deployments"] = new JsonObject { ["id"] = new JsonObject { ["any_"] = new JsonArray(deploymentId.ToString()) } },
        }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        return [.. JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(n => n!.AsObject())];
    }
}
