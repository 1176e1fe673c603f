using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Deployments.Tests;

public sealed class LongPollTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task GetScheduledFlowRuns_WaitingWorker_WokenByANewRunLongBeforeItsWaitEnds(DatabaseKind database)
    {
        await using var server = await Server.StartAsync(database);
        var deployment = await server.CreateDeploymentAsync("long");

        // The worker waits up to 60 s; if creating the run did not wake it, the 20 s token would cancel the call.
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var poll = server.Client.PostAsJsonAsync("work_pools/long/get_scheduled_flow_runs", new { wait_seconds = 60 }, giveUp.Token);
        await Task.Delay(300);
        Assert.False(poll.IsCompleted, "with nothing to do the poll should wait");
        var run = await server.CreateRunAsync(deployment);

        using var response = await poll;
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(giveUp.Token))!;
        Assert.Equal([run], Server.Ids(body, "flow_run"));
    }

    [Fact]
    public async Task GetScheduledFlowRuns_WorkerOnAnotherServer_WokenThroughThePoolsGrain()
    {
        await using var server = await Server.StartAsync(DatabaseKind.Postgres);
        await using var other = await Testing.InProcessServer.StartAsync(server.Database, configure: options => options.BackgroundProcesses = false);
        using var otherClient = other.CreateClient();
        var deployment = await server.CreateDeploymentAsync("across");

        // The worker polls the other server (a second silo of the same cluster): only the pool grain's pulse can wake it
        // before the 20 s token gives up.
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var poll = otherClient.PostAsJsonAsync("work_pools/across/get_scheduled_flow_runs", new { wait_seconds = 60 }, giveUp.Token);
        await Task.Delay(500);
        Assert.False(poll.IsCompleted, "with nothing to do the poll should wait");
        var run = await server.CreateRunAsync(deployment);

        using var response = await poll;
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(giveUp.Token))!;
        Assert.Equal([run], Server.Ids(body, "flow_run"));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    public async Task GetScheduledFlowRuns_WaitOnEmptyPool_AnswersEmptyAfterTheWait(DatabaseKind database)
    {
        await using var server = await Server.StartAsync(database);
        await server.PostOkAsync("work_pools/", new { name = "idle" });

        var runs = await server.PostOkAsync("work_pools/idle/get_scheduled_flow_runs", new { wait_seconds = 0.2 });

        Assert.Empty(runs.AsArray());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    public async Task ScheduleRoute_DeploymentWithInterval_CreatesItsRunsOnce(DatabaseKind database)
    {
        await using var server = await Server.StartAsync(database);
        var deployment = await server.CreateDeploymentAsync(schedule: new { interval = 86400 });
        var before = (await server.PostOkAsync("flow_runs/count", new { deployments = new { id = new { any_ = new[] { deployment } } } })).GetValue<long>();

        await server.PostOkAsync($"deployments/{deployment}/schedule", new { });

        var after = (await server.PostOkAsync("flow_runs/count", new { deployments = new { id = new { any_ = new[] { deployment } } } })).GetValue<long>();
        Assert.Equal(3, before);
        Assert.Equal(3, after);
    }
}
