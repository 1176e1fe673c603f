namespace OrleansFlow.Cli.Tests;

public sealed class FlowRunCommandsTests
{
    [Fact]
    public async Task Cancel_RunningRun_MovesItToCancelling()
    {
        await using var cli = await CliHarness.StartAsync();
        var deployment = (await cli.DeploymentAsync("etl", "nightly"))["id"]!.ToString();
        var run = await cli.RunInStateAsync(deployment, "PENDING", "RUNNING");

        var result = await cli.RunAsync("flow-run", "cancel", run);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Flow run '{run}' is Cancelling.", result.Output.Trim());
        Assert.Equal("CANCELLING", (await cli.GetAsync($"flow_runs/{run}"))["state"]!["type"]!.ToString());
    }

    [Fact]
    public async Task Cancel_ScheduledRunWithoutInfrastructure_CancelsItAtOnce()
    {
        await using var cli = await CliHarness.StartAsync();
        var deployment = (await cli.DeploymentAsync("etl", "nightly"))["id"]!.ToString();
        var run = await cli.RunInStateAsync(deployment);

        var result = await cli.RunAsync("flow-run", "cancel", run);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("CANCELLED", (await cli.GetAsync($"flow_runs/{run}"))["state"]!["type"]!.ToString());
    }

    [Fact]
    public async Task Cancel_CompletedRun_ExitsNonZeroAndLeavesIt()
    {
        await using var cli = await CliHarness.StartAsync();
        var deployment = (await cli.DeploymentAsync("etl", "nightly"))["id"]!.ToString();
        var run = await cli.RunInStateAsync(deployment, "PENDING", "RUNNING", "COMPLETED");

        var result = await cli.RunAsync("flow-run", "cancel", run);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"orleansflow: flow run '{run}' was not cancelled", result.Error, StringComparison.Ordinal);
        Assert.Equal("COMPLETED", (await cli.GetAsync($"flow_runs/{run}"))["state"]!["type"]!.ToString());
    }

    [Fact]
    public async Task Cancel_MissingRun_ExitsNonZeroWithNotFound()
    {
        await using var cli = await CliHarness.StartAsync();
        var id = Guid.NewGuid();

        var result = await cli.RunAsync("flow-run", "cancel", id.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"orleansflow: flow run '{id}' not found", result.Error.Trim());
    }

    [Fact]
    public async Task Ls_StateFilter_ShowsOnlyRunsInThatState()
    {
        await using var cli = await CliHarness.StartAsync();
        var deployment = (await cli.DeploymentAsync("etl", "nightly"))["id"]!.ToString();
        var running = await cli.RunInStateAsync(deployment, "PENDING", "RUNNING");
        var scheduled = await cli.RunInStateAsync(deployment);

        var all = await cli.RunAsync("flow-run", "ls");
        var onlyRunning = await cli.RunAsync("flow-run", "ls", "--state", "running");
        var limited = await cli.RunAsync("flow-run", "ls", "--limit", "1", "--output", "json");

        Assert.Equal(0, all.ExitCode);
        Assert.Contains(all.Lines, l => l.StartsWith(running, StringComparison.Ordinal) && l.Contains("Running", StringComparison.Ordinal) && l.Contains("etl", StringComparison.Ordinal));
        Assert.Contains(all.Lines, l => l.StartsWith(scheduled, StringComparison.Ordinal) && l.Contains("Scheduled", StringComparison.Ordinal));
        Assert.Equal(2, onlyRunning.Lines.Length);
        Assert.StartsWith(running, onlyRunning.Lines[1], StringComparison.Ordinal);
        Assert.Single(limited.Json().AsArray());
    }

    [Fact]
    public async Task Ls_StateNameInAnyCase_ShowsOnlyRunsWithThatName()
    {
        await using var cli = await CliHarness.StartAsync();
        var deployment = (await cli.DeploymentAsync("etl", "nightly"))["id"]!.ToString();
        var late = await cli.RunInStateAsync(deployment);
        await cli.PostAsync($"flow_runs/{late}/set_state", new { state = new { type = "SCHEDULED", name = "Late" }, force = true });
        await cli.RunInStateAsync(deployment);

        var onlyLate = await cli.RunAsync("flow-run", "ls", "--state", "late");

        Assert.Equal(0, onlyLate.ExitCode);
        Assert.Equal(2, onlyLate.Lines.Length);
        Assert.StartsWith(late, onlyLate.Lines[1], StringComparison.Ordinal);
    }

    /// <summary><c>--state</c> was one value: a second one was a usage error. Now it is a list, as Prefect's: a run in any of
    /// the states (types and names mixed, any case) is listed.</summary>
    [Fact]
    public async Task Ls_SeveralStates_ShowsRunsInAnyOfThem()
    {
        await using var cli = await CliHarness.StartAsync();
        var deployment = (await cli.DeploymentAsync("etl", "nightly"))["id"]!.ToString();
        var failed = await cli.RunInStateAsync(deployment, "PENDING", "RUNNING", "FAILED");
        var completed = await cli.RunInStateAsync(deployment, "PENDING", "RUNNING", "COMPLETED");
        var late = await cli.RunInStateAsync(deployment);
        await cli.PostAsync($"flow_runs/{late}/set_state", new { state = new { type = "SCHEDULED", name = "Late" }, force = true });
        var running = await cli.RunInStateAsync(deployment, "PENDING", "RUNNING");
        await cli.RunInStateAsync(deployment);

        var types = await cli.RunAsync("flow-run", "ls", "--state", "failed", "--state", "Completed", "-o", "json");
        var typeAndName = await cli.RunAsync("flow-run", "ls", "-s", "FAILED", "-s", "LATE", "-s", "running", "-o", "json");

        Assert.Equal((0, 0), (types.ExitCode, typeAndName.ExitCode));
        Assert.Equal(new[] { completed, failed }.Order(), types.Json().AsArray().Select(r => r!["id"]!.ToString()).Order());
        Assert.Equal(new[] { failed, late, running }.Order(), typeAndName.Json().AsArray().Select(r => r!["id"]!.ToString()).Order());
    }

    [Fact]
    public async Task Ls_SeveralStatesOneUnknown_IsAUsageErrorNamingIt()
    {
        var (exitCode, output) = await CliHarness.RunProcessAsync(["flow-run", "ls", "--state", "failed", "--state", "bogus", "--api", "http://127.0.0.1:9/api"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("--state: 'bogus' is not a state type", output, StringComparison.Ordinal);
        Assert.DoesNotContain("'failed'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot reach", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_Run_RemovesIt()
    {
        await using var cli = await CliHarness.StartAsync();
        var deployment = (await cli.DeploymentAsync("etl", "nightly"))["id"]!.ToString();
        var run = await cli.RunInStateAsync(deployment);

        var delete = await cli.RunAsync("flow-run", "delete", run);
        var again = await cli.RunAsync("flow-run", "delete", run);

        Assert.Equal(0, delete.ExitCode);
        Assert.StartsWith($"Deleted flow run '{run}'", delete.Output, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await cli.Http.GetAsync($"flow_runs/{run}")).StatusCode);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"orleansflow: flow run '{run}' not found", again.Error.Trim());
    }

    [Fact]
    public async Task Inspect_Run_ShowsItsFields()
    {
        await using var cli = await CliHarness.StartAsync();
        var deployment = (await cli.DeploymentAsync("etl", "nightly"))["id"]!.ToString();
        var run = await cli.RunInStateAsync(deployment, "PENDING", "RUNNING");

        var result = await cli.RunAsync("flow-run", "inspect", run);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.Lines, l => l.StartsWith("id:", StringComparison.Ordinal) && l.EndsWith(run, StringComparison.Ordinal));
        Assert.Contains(result.Lines, l => l.StartsWith("flow:", StringComparison.Ordinal) && l.EndsWith("etl", StringComparison.Ordinal));
        Assert.Contains(result.Lines, l => l.StartsWith("state:", StringComparison.Ordinal) && l.EndsWith("Running (RUNNING)", StringComparison.Ordinal));
        Assert.Contains(result.Lines, l => l.StartsWith("deployment id:", StringComparison.Ordinal) && l.EndsWith(deployment, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_Run_PrintsItsLogsOldestFirst()
    {
        await using var cli = await CliHarness.StartAsync();
        var deployment = (await cli.DeploymentAsync("etl", "nightly"))["id"]!.ToString();
        var run = await cli.RunInStateAsync(deployment, "PENDING", "RUNNING");
        var other = await cli.RunInStateAsync(deployment);
        var start = DateTimeOffset.UtcNow;
        await cli.PostAsync("logs/", new object[]
        {
            new { name = "etl", level = 40, message = "second: failed to load", timestamp = start.AddSeconds(2), flow_run_id = run },
            new { name = "etl", level = 20, message = "first: extracting", timestamp = start.AddSeconds(1), flow_run_id = run },
            new { name = "etl", level = 20, message = "someone else's", timestamp = start, flow_run_id = other },
        });

        var result = await cli.RunAsync("flow-run", "logs", run);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.Lines.Length);
        Assert.Contains("INFO", result.Lines[0], StringComparison.Ordinal);
        Assert.EndsWith("etl - first: extracting", result.Lines[0], StringComparison.Ordinal);
        Assert.Contains("ERROR", result.Lines[1], StringComparison.Ordinal);
        Assert.EndsWith("second: failed to load", result.Lines[1], StringComparison.Ordinal);
    }
}
