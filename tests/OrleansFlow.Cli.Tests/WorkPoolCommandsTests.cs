namespace OrleansFlow.Cli.Tests;

public sealed class WorkPoolCommandsTests
{
    [Fact]
    public async Task Create_ThenLsAndInspect_ShowThePool()
    {
        await using var cli = await CliHarness.StartAsync();

        var create = await cli.RunAsync("work-pool", "create", "local");
        var ls = await cli.RunAsync("work-pool", "ls");
        var inspect = await cli.RunAsync("work-pool", "inspect", "local");

        Assert.Equal(0, create.ExitCode);
        var pool = await cli.GetAsync("work_pools/local");
        Assert.Equal("process", pool["type"]!.ToString());
        var row = Assert.Single(ls.Lines, l => l.StartsWith("local ", StringComparison.Ordinal));
        Assert.Contains("process", row, StringComparison.Ordinal);
        Assert.Contains(pool["id"]!.ToString(), row, StringComparison.Ordinal);
        Assert.Contains(inspect.Lines, l => l.StartsWith("type:", StringComparison.Ordinal) && l.EndsWith("process", StringComparison.Ordinal));
        Assert.Contains(inspect.Lines, l => l.StartsWith("concurrency limit:", StringComparison.Ordinal) && l.EndsWith("none", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PauseResumeAndLimit_ChangeThePoolOnTheServer()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.RunAsync("work-pool", "create", "local");

        var pause = await cli.RunAsync("work-pool", "pause", "local");
        var paused = await cli.GetAsync("work_pools/local");
        var resume = await cli.RunAsync("work-pool", "resume", "local");
        var limit = await cli.RunAsync("work-pool", "set-concurrency-limit", "local", "3");
        var after = await cli.GetAsync("work_pools/local");

        Assert.Equal((0, 0, 0), (pause.ExitCode, resume.ExitCode, limit.ExitCode));
        Assert.True(paused["is_paused"]!.GetValue<bool>());
        Assert.False(after["is_paused"]!.GetValue<bool>());
        Assert.Equal(3, after["concurrency_limit"]!.GetValue<int>());
    }

    [Fact]
    public async Task LsJson_PrintsTheApisArray()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.RunAsync("work-pool", "create", "local", "--type", "process");

        var result = await cli.RunAsync("work-pool", "ls", "-o", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.Json().AsArray(), p => p!["name"]!.ToString() == "local");
    }

    [Fact]
    public async Task Delete_ThenInspect_NotFound()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.RunAsync("work-pool", "create", "local");

        var delete = await cli.RunAsync("work-pool", "delete", "local");
        var inspect = await cli.RunAsync("work-pool", "inspect", "local");

        Assert.Equal(0, delete.ExitCode);
        Assert.Equal(1, inspect.ExitCode);
        Assert.Equal("orleansflow: work pool 'local' not found", inspect.Error.Trim());
    }

    [Fact]
    public async Task Create_Twice_ExitsNonZeroWithTheServersReason()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.RunAsync("work-pool", "create", "local");

        var again = await cli.RunAsync("work-pool", "create", "local");

        Assert.Equal(1, again.ExitCode);
        Assert.StartsWith("orleansflow: the server refused the request (409)", again.Error, StringComparison.Ordinal);
    }
}
