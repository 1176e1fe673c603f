using System.Text.Json.Nodes;

namespace OrleansFlow.Worker.Tests;

public static class EntryFlows
{
    [Flow(Name = "worker-entry-add")]
    public static int Add(int a, int b, string label = "sum") => label == "sum" ? a + b : -1;

    [Flow(Name = "worker-entry-fail")]
    public static async Task FailAsync()
    {
        await Task.Yield();
        throw new InvalidOperationException("boom");
    }
}

/// <summary>The SDK's entry point drives an existing run (as a worker's process does) instead of creating one.</summary>
public sealed class FlowRunEntryTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task RunAsync_ExistingPendingRun_RunsTheFlowWithItsStoredParametersAndCompletesThatRun(DatabaseKind database)
    {
        await using var fixture = await Fixture.StartAsync(database);
        var deployment = await fixture.CreateDeploymentAsync("entry", new { }, flowName: "worker-entry-add");
        var run = Guid.Parse((await fixture.PostOkAsync($"deployments/{deployment}/create_flow_run", new { parameters = new { a = 2, b = 3 } }))["id"]!.GetValue<string>());
        await fixture.PostOkAsync($"flow_runs/{run}/set_state", new { state = new { type = "PENDING" } });

        object? result;
        using (Flows.UseApi(fixture.Server.ApiUrl))
        {
            result = await FlowRunEntry.RunAsync(run, typeof(EntryFlows).Assembly);
        }

        Assert.Equal(5, result);
        Assert.Equal("COMPLETED", await fixture.StateAsync(run));
        var runs = (JsonArray)await fixture.PostOkAsync("flow_runs/filter", new { });
        Assert.Single(runs);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task RunAsync_FlowThrows_TheRunEndsFailedAndTheExceptionReachesTheCaller(DatabaseKind database)
    {
        await using var fixture = await Fixture.StartAsync(database);
        var deployment = await fixture.CreateDeploymentAsync("entry-fail", new { }, flowName: "worker-entry-fail");
        var run = await fixture.CreateRunAsync(deployment);

        using (Flows.UseApi(fixture.Server.ApiUrl))
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => FlowRunEntry.RunAsync(run, typeof(EntryFlows).Assembly));
            Assert.Equal("boom", error.Message);
        }

        Assert.Equal("FAILED", await fixture.StateAsync(run));
    }
}
