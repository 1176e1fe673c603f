using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Scenarios;

public sealed class RetryTests
{
    private static int _attempts;
    private static int _flowAttempts;

    [FlowTask(Retries = 3, RetryDelaySeconds = 1)]
    internal static string Flaky()
    {
        var attempt = Interlocked.Increment(ref _attempts);
        Assert.Equal(attempt, TaskRunContext.Current!.Attempt);
        return attempt < 3 ? throw new InvalidOperationException($"transient failure on attempt {attempt}") : $"ok on attempt {attempt}";
    }

    [Flow(Name = "task-retries")]
    internal static string RetryingFlow() => Flows.Call(Flaky);

    [Flow(Name = "flow-retries", Retries = 1, RetryDelaySeconds = 0)]
    internal static int FlakyFlow() =>
        Interlocked.Increment(ref _flowAttempts) == 1 ? throw new InvalidOperationException("first flow attempt fails") : 42;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Task_FailsTwiceWithRetries_AwaitingRetryThenRetryingThenCompleted(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();
        _attempts = 0;
        _flowAttempts = 0; // the same statics serve both databases' runs

        var result = Flows.Call(RetryingFlow);

        Assert.Equal("ok on attempt 3", result);
        var run = Assert.Single(await server.FlowRunsAsync("task-retries"));
        Assert.Equal("Completed", run.Str("state_name"));
        var task = Assert.Single(await server.TaskRunsAsync(run.Id()));
        Assert.Equal(3, task.Int("run_count"));
        Assert.Equal("Completed", task.Str("state_name"));
        Assert.Equal(
            ["Pending", "Running", "AwaitingRetry", "Retrying", "AwaitingRetry", "Retrying", "Completed"],
            await server.TaskRunStateNamesAsync(task.Id()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Flow_FailsOnceWithOneRetry_RunsAgainAndCompletes(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();
        _attempts = 0;
        _flowAttempts = 0; // the same statics serve both databases' runs

        var result = Flows.Call(FlakyFlow);

        Assert.Equal(42, result);
        var run = Assert.Single(await server.FlowRunsAsync("flow-retries"));
        Assert.Equal(2, run.Int("run_count"));
        Assert.Equal(["Pending", "Running", "AwaitingRetry", "Running", "Completed"], await server.FlowRunStateNamesAsync(run.Id()));
    }
}
