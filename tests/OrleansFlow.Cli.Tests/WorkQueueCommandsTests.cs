namespace OrleansFlow.Cli.Tests;

public sealed class WorkQueueCommandsTests
{
    [Fact]
    public async Task CreateLsPauseResume_InAPool_ChangeTheQueueOnTheServer()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.RunAsync("work-pool", "create", "local");

        var create = await cli.RunAsync("work-queue", "create", "urgent", "--pool", "local", "--priority", "1", "--limit", "2");
        var ls = await cli.RunAsync("work-queue", "ls", "--pool", "local");
        var pause = await cli.RunAsync("work-queue", "pause", "urgent", "--pool", "local");
        var paused = await cli.GetAsync("work_pools/local/queues/urgent");
        var resume = await cli.RunAsync("work-queue", "resume", "urgent", "--pool", "local");
        var resumed = await cli.GetAsync("work_pools/local/queues/urgent");

        Assert.Equal((0, 0, 0, 0), (create.ExitCode, ls.ExitCode, pause.ExitCode, resume.ExitCode));
        Assert.Equal("NAME", ls.Lines[0].Split(' ')[0]);
        var urgent = Assert.Single(ls.Lines, l => l.StartsWith("urgent ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["urgent", "1", "false", "2"], urgent[..4]);
        Assert.Contains(ls.Lines, l => l.StartsWith("default ", StringComparison.Ordinal));
        Assert.Equal(2, paused["concurrency_limit"]!.GetValue<int>());
        Assert.True(paused["is_paused"]!.GetValue<bool>());
        Assert.False(resumed["is_paused"]!.GetValue<bool>());
    }

    /// <summary>Without <c>--pool</c>, <c>ls</c> listed only the default agent pool's queues; Prefect 2.20 lists the queues
    /// of every pool, with a pool column.</summary>
    [Fact]
    public async Task Ls_WithoutPool_ListsTheQueuesOfEveryPoolWithTheirPool()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.RunAsync("work-pool", "create", "local");
        await cli.RunAsync("work-pool", "create", "k8s");
        await cli.RunAsync("work-queue", "create", "urgent", "--pool", "local");
        await cli.RunAsync("work-queue", "create", "batch", "-p", "k8s");
        await cli.RunAsync("work-queue", "create", "legacy");

        var ls = await cli.RunAsync("work-queue", "ls");
        var json = await cli.RunAsync("work-queue", "ls", "-o", "json");
        var matched = await cli.RunAsync("work-queue", "ls", "--match", "ur");

        Assert.Equal((0, 0, 0), (ls.ExitCode, json.ExitCode, matched.ExitCode));
        Assert.Equal(["NAME", "POOL", "PRIORITY", "PAUSED", "CONCURRENCY", "LIMIT", "ID"], ls.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var rows = ls.Lines[1..].Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2])).ToArray();
        Assert.Equal(["default default-agent-pool", "legacy default-agent-pool", "default k8s", "batch k8s", "default local", "urgent local"], rows);
        Assert.Equal(6, json.Json().AsArray().Count);
        Assert.Equal("urgent local", string.Join(' ', Assert.Single(matched.Lines[1..]).Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2]));
    }

    [Fact]
    public async Task Ls_MissingPool_ExitsNonZeroNamingThePool()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("work-queue", "ls", "--pool", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("orleansflow: work pool 'nope' not found", result.Error.Trim());
    }

    [Fact]
    public async Task InspectLimitsAndDelete_ChangeTheQueueOnTheServer()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.RunAsync("work-pool", "create", "local");
        await cli.RunAsync("work-queue", "create", "urgent", "--pool", "local", "--priority", "1");

        var setLimit = await cli.RunAsync("work-queue", "set-concurrency-limit", "urgent", "3", "--pool", "local");
        var limited = await cli.GetAsync("work_pools/local/queues/urgent");
        var inspect = await cli.RunAsync("work-queue", "inspect", "urgent", "--pool", "local");
        var clear = await cli.RunAsync("work-queue", "clear-concurrency-limit", "urgent", "--pool", "local");
        var cleared = await cli.GetAsync("work_pools/local/queues/urgent");
        var delete = await cli.RunAsync("work-queue", "delete", "urgent", "--pool", "local");
        var gone = await cli.RunAsync("work-queue", "inspect", "urgent", "--pool", "local");

        Assert.Equal((0, 0, 0, 0), (setLimit.ExitCode, inspect.ExitCode, clear.ExitCode, delete.ExitCode));
        Assert.Equal(3, limited["concurrency_limit"]!.GetValue<int>());
        Assert.Contains(inspect.Lines, l => l.StartsWith("concurrency limit:", StringComparison.Ordinal) && l.EndsWith('3'));
        Assert.Contains(inspect.Lines, l => l.StartsWith("priority:", StringComparison.Ordinal) && l.EndsWith('1'));
        Assert.Null(cleared["concurrency_limit"]);
        Assert.Equal(1, gone.ExitCode);
        Assert.Equal("orleansflow: work queue 'urgent' not found in pool 'local'", gone.Error.Trim());
    }

    [Fact]
    public async Task WorkPoolClearConcurrencyLimit_RemovesIt()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.RunAsync("work-pool", "create", "local");
        await cli.RunAsync("work-pool", "set-concurrency-limit", "local", "4");

        var clear = await cli.RunAsync("work-pool", "clear-concurrency-limit", "local");

        Assert.Equal(0, clear.ExitCode);
        Assert.Null((await cli.GetAsync("work_pools/local"))["concurrency_limit"]);
    }
}
