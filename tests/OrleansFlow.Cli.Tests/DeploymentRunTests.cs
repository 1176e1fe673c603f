using System.Text.Json.Nodes;

namespace OrleansFlow.Cli.Tests;

/// <summary><c>deployment run</c> had only <c>--param</c>: no <c>--params JSON</c> and no <c>--watch</c>.</summary>
public sealed class DeploymentRunTests
{
    [Fact]
    public async Task Run_ParamsJson_SetsTheParametersAndParamWins()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.DeploymentAsync("etl", "nightly", scheduled: false);

        var result = await cli.RunAsync("deployment", "run", "etl/nightly", "--params", """{"x": 5, "name": "a", "list": [1, 2]}""", "--param", "name=b", "-o", "json");

        Assert.Equal(0, result.ExitCode);
        var parameters = result.Json()["parameters"]!;
        Assert.Equal(5, parameters["x"]!.GetValue<int>());
        Assert.Equal("b", parameters["name"]!.GetValue<string>());
        Assert.Equal(2, parameters["list"]!.AsArray().Count);
    }

    [Fact]
    public async Task Run_ParamsFromStandardInput_AreRead()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.DeploymentAsync("etl", "nightly", scheduled: false);

        var result = await CliHarness.RunAgainstAsync(cli.Server.ApiUrl, ["deployment", "run", "etl/nightly", "--params", "-", "-o", "json"], answer: """{"x": 7}""");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(7, result.Json()["parameters"]!["x"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("[1, 2]", "--params must be a JSON object")]
    [InlineData("{not json", "--params is not JSON")]
    public async Task Run_ParamsNotAJsonObject_IsAUsageError(string text, string error)
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.DeploymentAsync("etl", "nightly", scheduled: false);

        var result = await cli.RunAsync("deployment", "run", "etl/nightly", "--params", text);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"orleansflow: {error}", result.Error, StringComparison.Ordinal);
        Assert.Empty((await cli.PostAsync("flow_runs/filter", new { })).AsArray());
    }

    [Fact]
    public async Task RunWatch_RunCompletes_PrintsItsStatesAndExitsZero()
    {
        await using var cli = await CliHarness.StartAsync();
        var deployment = (await cli.DeploymentAsync("etl", "nightly", scheduled: false))["id"]!.ToString();

        var watching = cli.RunAsync("deployment", "run", "etl/nightly", "--watch", "--watch-interval", "1");
        var run = await CreatedRunAsync(cli, deployment);
        foreach (var state in new[] { "PENDING", "RUNNING", "COMPLETED" })
        {
            await cli.PostAsync($"flow_runs/{run}/set_state", new { state = new { type = state } });
        }

        var result = await watching;

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("is Scheduled", result.Lines[1], StringComparison.Ordinal);
        Assert.Contains("is Completed", result.Lines[^2], StringComparison.Ordinal);
        Assert.EndsWith("finished successfully in state 'Completed'.", result.Lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunWatch_RunFails_ExitsOneNamingTheState()
    {
        await using var cli = await CliHarness.StartAsync();
        var deployment = (await cli.DeploymentAsync("etl", "nightly", scheduled: false))["id"]!.ToString();

        var watching = cli.RunAsync("deployment", "run", "etl/nightly", "--watch", "--watch-interval", "1", "-o", "json");
        var run = await CreatedRunAsync(cli, deployment);
        foreach (var state in new[] { "PENDING", "RUNNING", "FAILED" })
        {
            await cli.PostAsync($"flow_runs/{run}/set_state", new { state = new { type = state } });
        }

        var result = await watching;

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith("finished in state 'Failed'", result.Error.Trim(), StringComparison.Ordinal);
        Assert.Equal("FAILED", result.Json()["state"]!["type"]!.ToString());
    }

    [Fact]
    public async Task RunWatchInterval_WithoutWatch_IsAUsageError()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.DeploymentAsync("etl", "nightly", scheduled: false);

        var result = await cli.RunAsync("deployment", "run", "etl/nightly", "--watch-interval", "2");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty((await cli.PostAsync("flow_runs/filter", new { })).AsArray());
    }

    /// <summary>The run the command under test created, once it exists (polled with a deadline).</summary>
    private static async Task<string> CreatedRunAsync(CliHarness cli, string deployment)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var runs = (await cli.PostAsync("flow_runs/filter", new { flow_runs = new { deployment_id = new { any_ = new[] { deployment } } } })).AsArray();
            if (runs.FirstOrDefault() is JsonNode run)
            {
                return run["id"]!.ToString();
            }

            await Task.Delay(50, deadline.Token);
        }
    }
}
