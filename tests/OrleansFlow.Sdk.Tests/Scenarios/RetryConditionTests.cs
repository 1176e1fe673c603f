using System.Collections.Concurrent;
using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Scenarios;

public sealed class RetryConditionTests
{
    private static readonly ConcurrentDictionary<string, int> Attempts = new();

    public sealed class OnlyTimeouts : IRetryCondition
    {
        public bool ShouldRetry(RetryConditionContext context) => context.Exception is TimeoutException;
    }

    [FlowTask(Retries = 3, RetryCondition = typeof(OnlyTimeouts))]
    internal static int Picky(string key)
    {
        var attempt = Attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
        return attempt == 1 ? throw new TimeoutException("slow upstream") : throw new ArgumentException($"bad input on attempt {attempt}");
    }

    [Flow(Name = "retry-condition")]
    internal static RunState<int> PickyFlow(string key) => Flows.CallForState(Picky, key);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RetryCondition_RetriesTimeoutsOnly_OtherFailureEndsFailedWithRetriesLeft(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();
        var key = $"picky-{postgres}";

        var state = Flows.Call(PickyFlow, key);

        Assert.Equal("Failed", state.State!.Name);
        Assert.IsType<ArgumentException>(state.Exception);
        Assert.Equal(2, Attempts[key]);
        var run = Assert.Single(await server.FlowRunsAsync("retry-condition"));
        var task = Assert.Single(await server.TaskRunsAsync(run.Id()));
        Assert.Equal(["Pending", "Running", "AwaitingRetry", "Retrying", "Failed"], await server.TaskRunStateNamesAsync(task.Id()));
        Assert.Equal("Task run encountered an exception: ArgumentException: bad input on attempt 2", task.State().Str("message"));
        Assert.Equal(2, task.Int("run_count"));
        var logs = await server.LogsAsync(run.Id());
        Assert.Contains(logs, l => l.Str("message") == "Retry condition OnlyTimeouts declined to retry this failure");
    }
}
