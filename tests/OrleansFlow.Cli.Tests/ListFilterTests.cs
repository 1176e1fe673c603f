using System.Globalization;

namespace OrleansFlow.Cli.Tests;

/// <summary>Options Prefect's CLI has that were missing: <c>flow-run ls --flow-name/--state-type</c>, <c>variable ls
/// --limit</c>, <c>work-queue preview|read-runs</c>.</summary>
public sealed class ListFilterTests
{
    [Fact]
    public async Task FlowRunLs_FlowName_ListsOnlyRunsOfThoseFlows()
    {
        await using var cli = await CliHarness.StartAsync();
        var etl = (await cli.DeploymentAsync("etl", "nightly", scheduled: false))["id"]!.ToString();
        var report = (await cli.DeploymentAsync("report", "weekly", scheduled: false))["id"]!.ToString();
        var other = (await cli.DeploymentAsync("other", "daily", scheduled: false))["id"]!.ToString();
        var etlRun = await cli.RunInStateAsync(etl);
        var reportRun = await cli.RunInStateAsync(report);
        await cli.RunInStateAsync(other);

        var one = await cli.RunAsync("flow-run", "ls", "--flow-name", "etl", "-o", "json");
        var two = await cli.RunAsync("flow-run", "ls", "--flow-name", "etl", "--flow-name", "report");
        var none = await cli.RunAsync("flow-run", "ls", "--flow-name", "nope");

        Assert.Equal((0, 0, 0), (one.ExitCode, two.ExitCode, none.ExitCode));
        Assert.Equal([etlRun], one.Json().AsArray().Select(r => r!["id"]!.ToString()));
        Assert.Equal(new[] { etlRun, reportRun }.Order(), two.Lines[1..].Select(l => l.Split(' ')[0]).Order());
        Assert.Equal("No flow runs found.", none.Output.Trim());
    }

    [Fact]
    public async Task FlowRunLs_StateType_MatchesTypesOnly()
    {
        await using var cli = await CliHarness.StartAsync();
        var deployment = (await cli.DeploymentAsync("etl", "nightly", scheduled: false))["id"]!.ToString();
        var late = await cli.RunInStateAsync(deployment);
        await cli.PostAsync($"flow_runs/{late}/set_state", new { state = new { type = "SCHEDULED", name = "Late" }, force = true });
        var failed = await cli.RunInStateAsync(deployment, "PENDING", "RUNNING", "FAILED");
        await cli.RunInStateAsync(deployment, "PENDING", "RUNNING");

        var scheduled = await cli.RunAsync("flow-run", "ls", "--state-type", "scheduled", "--state-type", "FAILED", "-o", "json");
        var name = await cli.RunAsync("flow-run", "ls", "--state-type", "Late");

        Assert.Equal(0, scheduled.ExitCode);
        Assert.Equal(new[] { late, failed }.Order(), scheduled.Json().AsArray().Select(r => r!["id"]!.ToString()).Order());
        Assert.Equal(2, name.ExitCode);
        Assert.Contains("--state-type: 'Late' is not a state type", name.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VariableLs_Limit_ListsThatManyByName()
    {
        await using var cli = await CliHarness.StartAsync();
        foreach (var name in new[] { "c", "a", "b" })
        {
            await cli.RunAsync("variable", "set", name, "1");
        }

        var limited = await cli.RunAsync("variable", "ls", "--limit", "2");
        var zero = await cli.RunAsync("variable", "ls", "--limit", "0");

        Assert.Equal(0, limited.ExitCode);
        Assert.Equal(["a", "b"], limited.Lines[1..].Select(l => l.Split(' ')[0]));
        Assert.Equal(2, zero.ExitCode);
    }

    [Fact]
    public async Task WorkQueuePreview_ListsTheQueuesScheduledRunsWithinTheHours()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.RunAsync("work-pool", "create", "local");
        await cli.RunAsync("work-queue", "create", "other", "--pool", "local");
        var deployment = (await cli.DeploymentAsync("etl", "nightly", pool: "local", scheduled: false))["id"]!.ToString();
        var due = (await cli.PostAsync($"deployments/{deployment}/create_flow_run", new { }))["id"]!.ToString();
        var later = (await cli.PostAsync($"deployments/{deployment}/create_flow_run", new
        {
            state = new { type = "SCHEDULED", state_details = new { scheduled_time = DateTimeOffset.UtcNow.AddHours(5).ToString("O", CultureInfo.InvariantCulture) } },
        }))["id"]!.ToString();
        await cli.RunInStateAsync(deployment, "PENDING", "RUNNING");

        var hour = await cli.RunAsync("work-queue", "preview", "default", "--pool", "local");
        var sixHours = await cli.RunAsync("work-queue", "preview", "default", "--pool", "local", "--hours", "6", "-o", "json");
        var otherQueue = await cli.RunAsync("work-queue", "preview", "other", "--pool", "local");
        var missing = await cli.RunAsync("work-queue", "preview", "nope", "--pool", "local");

        Assert.Equal((0, 0, 0), (hour.ExitCode, sixHours.ExitCode, otherQueue.ExitCode));
        Assert.Equal(["SCHEDULED", "START", "RUN", "ID", "NAME", "DEPLOYMENT", "ID"], hour.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(due, Assert.Single(hour.Lines[1..]), StringComparison.Ordinal);
        Assert.Equal([due, later], sixHours.Json().AsArray().Select(r => r!["id"]!.ToString()));
        Assert.StartsWith("No runs scheduled in the next 1 hour(s)", otherQueue.Output, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("orleansflow: work queue 'nope' not found in pool 'local'", missing.Error.Trim());
    }

    [Fact]
    public async Task WorkQueueReadRuns_ReadsTheDueRunsAsAPollDoes()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.RunAsync("work-pool", "create", "local");
        var deployment = (await cli.DeploymentAsync("etl", "nightly", pool: "local", scheduled: false))["id"]!.ToString();
        var due = (await cli.PostAsync($"deployments/{deployment}/create_flow_run", new { }))["id"]!.ToString();

        var read = await cli.RunAsync("work-queue", "read-runs", "default", "--pool", "local");
        // A poll claims what it reads: a second read right after gets nothing.
        var again = await cli.RunAsync("work-queue", "read-runs", "default", "--pool", "local", "-o", "json");
        var queue = await cli.GetAsync("work_pools/local/queues/default");

        Assert.Equal((0, 0), (read.ExitCode, again.ExitCode));
        Assert.Equal("Read 1 run(s) of work queue 'default' in pool 'local'.", read.Lines[0]);
        Assert.Contains(due, read.Lines[2], StringComparison.Ordinal);
        Assert.Equal("[]", again.Output.Trim());
        Assert.NotNull(queue["last_polled"]);
    }
}
