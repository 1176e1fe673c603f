namespace OrleansFlow.Cli.Tests;

public sealed class DeploymentCommandsTests
{
    [Fact]
    public async Task Ls_TwoDeployments_ShowsAFlowSlashNameRowForEach()
    {
        await using var cli = await CliHarness.StartAsync();
        var etl = await cli.DeploymentAsync("etl", "nightly");
        await cli.DeploymentAsync("report", "weekly");

        var result = await cli.RunAsync("deployment", "ls");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("NAME", result.Lines[0], StringComparison.Ordinal);
        var row = Assert.Single(result.Lines, l => l.StartsWith("etl/nightly", StringComparison.Ordinal));
        Assert.Contains(etl["id"]!.ToString(), row, StringComparison.Ordinal);
        Assert.Contains("active", row, StringComparison.Ordinal);
        Assert.Single(result.Lines, l => l.StartsWith("report/weekly", StringComparison.Ordinal));
        Assert.Equal(3, result.Lines.Length);
    }

    [Fact]
    public async Task Inspect_ByNameAndById_ShowsTheDeploymentsFields()
    {
        await using var cli = await CliHarness.StartAsync();
        var deployment = await cli.DeploymentAsync("etl", "nightly");
        var id = deployment["id"]!.ToString();

        var byName = await cli.RunAsync("deployment", "inspect", "etl/nightly");
        var byId = await cli.RunAsync("deployment", "inspect", id);

        Assert.Equal(0, byName.ExitCode);
        Assert.Contains(byName.Lines, l => l.StartsWith("name:", StringComparison.Ordinal) && l.EndsWith("etl/nightly", StringComparison.Ordinal));
        Assert.Contains(byName.Lines, l => l.StartsWith("id:", StringComparison.Ordinal) && l.EndsWith(id, StringComparison.Ordinal));
        Assert.Contains(byName.Lines, l => l.StartsWith("description:", StringComparison.Ordinal) && l.EndsWith("nightly of etl", StringComparison.Ordinal));
        Assert.Contains(byName.Lines, l => l.StartsWith("tags:", StringComparison.Ordinal) && l.EndsWith("cli-test", StringComparison.Ordinal));
        Assert.Contains(byName.Lines, l => l.StartsWith("work pool:", StringComparison.Ordinal) && l.EndsWith("default-agent-pool", StringComparison.Ordinal));
        Assert.Equal(byName.Output, byId.Output);
    }

    [Fact]
    public async Task InspectJson_ByName_PrintsTheApisJson()
    {
        await using var cli = await CliHarness.StartAsync();
        var deployment = await cli.DeploymentAsync("etl", "nightly");

        var result = await cli.RunAsync("deployment", "inspect", "etl/nightly", "--output", "json");

        Assert.Equal(0, result.ExitCode);
        var json = result.Json();
        Assert.Equal(deployment["id"]!.ToString(), json["id"]!.ToString());
        Assert.Equal("nightly", json["name"]!.ToString());
        Assert.Equal(1, json["parameters"]!["x"]!.GetValue<int>());
        // Times as the API writes them, readable by grep: "+00:00", not "\u002B00:00".
        Assert.Contains("+00:00", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_MissingName_ExitsNonZeroWithOneLineMessage()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("deployment", "inspect", "etl/nope");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("orleansflow: deployment 'etl/nope' not found", result.Error.Trim());
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task Inspect_NameWithoutFlow_ExitsNonZeroSayingTheForm()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("deployment", "inspect", "nightly");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("flow-name/deployment-name", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PauseResume_ByName_ChangeTheScheduleOnTheServer()
    {
        await using var cli = await CliHarness.StartAsync();
        var id = (await cli.DeploymentAsync("etl", "nightly"))["id"]!.ToString();

        var pause = await cli.RunAsync("deployment", "pause", "etl/nightly");
        var paused = await cli.GetAsync($"deployments/{id}");
        var ls = await cli.RunAsync("deployment", "ls");
        var resume = await cli.RunAsync("deployment", "resume", "etl/nightly");
        var resumed = await cli.GetAsync($"deployments/{id}");

        Assert.Equal((0, 0), (pause.ExitCode, resume.ExitCode));
        Assert.False(paused["is_schedule_active"]!.GetValue<bool>());
        Assert.Contains("paused", Assert.Single(ls.Lines, l => l.StartsWith("etl/nightly", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.True(resumed["is_schedule_active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Run_WithParams_CreatesARunWithTypedParameters()
    {
        await using var cli = await CliHarness.StartAsync();
        var id = (await cli.DeploymentAsync("etl", "nightly"))["id"]!.ToString();

        var result = await cli.RunAsync("deployment", "run", "etl/nightly", "--param", "x=42", "--param", "label=hello world", "--output", "json");

        Assert.Equal(0, result.ExitCode);
        var runId = result.Json()["id"]!.ToString();
        var run = await cli.GetAsync($"flow_runs/{runId}");
        Assert.Equal(id, run["deployment_id"]!.ToString());
        Assert.Equal(42, run["parameters"]!["x"]!.GetValue<int>());
        Assert.Equal("hello world", run["parameters"]!["label"]!.GetValue<string>());
        Assert.Equal("SCHEDULED", run["state"]!["type"]!.ToString());
    }

    [Fact]
    public async Task Run_Table_PrintsTheNewRun()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.DeploymentAsync("etl", "nightly");

        var result = await cli.RunAsync("deployment", "run", "etl/nightly");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Created flow run '", result.Output, StringComparison.Ordinal);
        Assert.Contains("of deployment 'etl/nightly'", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_ByName_RemovesItFromTheServer()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.DeploymentAsync("etl", "nightly");

        var delete = await cli.RunAsync("deployment", "delete", "etl/nightly");
        var again = await cli.RunAsync("deployment", "inspect", "etl/nightly");

        Assert.Equal(0, delete.ExitCode);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("not found", again.Error, StringComparison.Ordinal);
    }
}
