using Microsoft.Extensions.Logging;
using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Scenarios;

public sealed class LoggingTests
{
    [FlowTask]
    internal static async Task<int> Fetch(int x)
    {
        await Task.Yield();
        Console.WriteLine($"printed by fetch {x}");
        Flows.Logger.LogWarning("warned by fetch {X}", x);
        return x + 1;
    }

    [FlowTask(LogPrints = false)]
    internal static void Quiet() => Console.WriteLine("not captured");

    [Flow(Name = "async-logs")]
    internal static async Task<int> LogsFlow()
    {
        FlowRunContext.Current!.Logger.LogInformation("hello from the flow");
        var value = await Flows.CallAsync(Fetch, 1);
        Flows.Call(Quiet);
        return value;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Logs_LoggerAndConsolePrints_ShippedLinkedToTheirRuns(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();

        var result = await Flows.CallAsync(LogsFlow);

        Assert.Equal(2, result);
        var run = Assert.Single(await server.FlowRunsAsync("async-logs"));
        Assert.Equal("Completed", run.Str("state_name"));
        var task = (await server.TaskRunsAsync(run.Id()))[0];
        var logs = await server.LogsAsync(run.Id());
        Assert.Contains(logs, l => l.Str("message") == "hello from the flow" && l.Str("task_run_id").Length == 0 && l.Int("level") == 20);
        Assert.Contains(logs, l => l.Str("message") == "printed by fetch 1" && l.Str("task_run_id") == task.Str("id"));
        Assert.Contains(logs, l => l.Str("message") == "warned by fetch 1" && l.Str("task_run_id") == task.Str("id") && l.Int("level") == 30);
        Assert.Contains(logs, l => l.Str("message") == "Created task run 'fetch-0' for task 'fetch'");
        Assert.DoesNotContain(logs, l => l.Str("message").Contains("not captured", StringComparison.Ordinal));
    }
}
