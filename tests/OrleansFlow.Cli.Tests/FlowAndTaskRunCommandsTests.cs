namespace OrleansFlow.Cli.Tests;

/// <summary><c>flow ls|inspect|delete</c> and <c>task-run ls|inspect</c> did not exist.</summary>
public sealed class FlowAndTaskRunCommandsTests
{
    [Fact]
    public async Task FlowLs_ListsFlowsNewestFirstUpToTheLimit()
    {
        await using var cli = await CliHarness.StartAsync();
        foreach (var name in new[] { "first", "second", "third" })
        {
            await cli.PostAsync("flows/", new { name });
        }

        var ls = await cli.RunAsync("flow", "ls");
        var limited = await cli.RunAsync("flow", "ls", "--limit", "2", "-o", "json");

        Assert.Equal((0, 0), (ls.ExitCode, limited.ExitCode));
        Assert.Equal(["ID", "NAME", "CREATED"], ls.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["third", "second", "first"], ls.Lines[1..].Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
        Assert.Equal(["third", "second"], limited.Json().AsArray().Select(f => f!["name"]!.ToString()));
    }

    [Fact]
    public async Task FlowInspectAndDelete_ByNameOrId_ShowAndRemoveTheFlow()
    {
        await using var cli = await CliHarness.StartAsync();
        var id = (await cli.PostAsync("flows/", new { name = "etl" }))["id"]!.ToString();

        var byName = await cli.RunAsync("flow", "inspect", "etl");
        var byId = await cli.RunAsync("flow", "inspect", id, "-o", "json");
        var delete = await cli.RunAsync("flow", "delete", "etl");
        var gone = await cli.RunAsync("flow", "inspect", id);

        Assert.Equal((0, 0, 0), (byName.ExitCode, byId.ExitCode, delete.ExitCode));
        Assert.Contains($"id:      {id}", byName.Lines);
        Assert.Equal("etl", byId.Json()["name"]!.ToString());
        Assert.Equal("Deleted flow 'etl'.", delete.Output.Trim());
        Assert.Equal(1, gone.ExitCode);
        Assert.Equal($"orleansflow: flow '{id}' not found", gone.Error.Trim());
    }

    [Fact]
    public async Task TaskRunLs_ByStateTypeAndName_ListsOnlyThoseRuns()
    {
        await using var cli = await CliHarness.StartAsync();
        var deployment = (await cli.DeploymentAsync("etl", "nightly"))["id"]!.ToString();
        var flowRun = await cli.RunInStateAsync(deployment, "PENDING", "RUNNING");
        var extract = await TaskRunAsync(cli, flowRun, "extract", "COMPLETED");
        var load = await TaskRunAsync(cli, flowRun, "load", "FAILED");
        await TaskRunAsync(cli, flowRun, "transform", "COMPLETED");

        var all = await cli.RunAsync("task-run", "ls", "-o", "json");
        var failed = await cli.RunAsync("task-run", "ls", "--state-type", "failed", "-o", "json");
        var named = await cli.RunAsync("task-run", "ls", "--task-run-name", "extract", "--task-run-name", "load");
        var limited = await cli.RunAsync("task-run", "ls", "--limit", "1", "-o", "json");
        var badType = await cli.RunAsync("task-run", "ls", "--state-type", "Late");

        Assert.Equal((0, 0, 0, 0), (all.ExitCode, failed.ExitCode, named.ExitCode, limited.ExitCode));
        Assert.Equal(3, all.Json().AsArray().Count);
        Assert.Equal([load], failed.Json().AsArray().Select(r => r!["id"]!.ToString()));
        Assert.Equal([extract, load], named.Lines[1..].Select(l => l.Split(' ')[0]).Order());
        Assert.Single(limited.Json().AsArray());
        Assert.Equal(2, badType.ExitCode);
        Assert.Contains("--state-type: 'Late' is not a state type", badType.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TaskRunInspect_ShowsTheRunOrSaysItIsMissing()
    {
        await using var cli = await CliHarness.StartAsync();
        var deployment = (await cli.DeploymentAsync("etl", "nightly"))["id"]!.ToString();
        var flowRun = await cli.RunInStateAsync(deployment, "PENDING", "RUNNING");
        var id = await TaskRunAsync(cli, flowRun, "extract", "COMPLETED");
        var missing = Guid.NewGuid();

        var inspect = await cli.RunAsync("task-run", "inspect", id);
        var json = await cli.RunAsync("task-run", "inspect", id, "-o", "json");
        var gone = await cli.RunAsync("task-run", "inspect", missing.ToString());

        Assert.Equal((0, 0), (inspect.ExitCode, json.ExitCode));
        Assert.Contains(inspect.Lines, l => l.StartsWith("flow run id:", StringComparison.Ordinal) && l.EndsWith(flowRun, StringComparison.Ordinal));
        Assert.Contains(inspect.Lines, l => l.StartsWith("state:", StringComparison.Ordinal) && l.EndsWith("(COMPLETED)", StringComparison.Ordinal));
        Assert.Equal("extract", json.Json()["name"]!.ToString());
        Assert.Equal(1, gone.ExitCode);
        Assert.Equal($"orleansflow: task run '{missing}' not found", gone.Error.Trim());
    }

    private static async Task<string> TaskRunAsync(CliHarness cli, string flowRun, string name, string final)
    {
        var id = (await cli.PostAsync("task_runs/", new { flow_run_id = flowRun, task_key = name, dynamic_key = "0", name }))["id"]!.ToString();
        foreach (var state in new[] { "RUNNING", final })
        {
            await cli.PostAsync($"task_runs/{id}/set_state", new { state = new { type = state } });
        }

        return id;
    }
}
