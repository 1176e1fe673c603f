using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Scenarios;

public sealed class FailureTests
{
    [FlowTask]
    internal static int Ok() => 1;

    [FlowTask]
    internal static int Boom(int x) => throw new InvalidOperationException($"bad input {x}");

    [Flow(Name = "failing-flow")]
    internal static int FailingFlow() => Flows.Call(Ok) + Flows.Call(Boom, 1);

    [FlowTask(TimeoutSeconds = 0.3)]
    internal static async Task<int> Slow()
    {
        await Task.Delay(TimeSpan.FromSeconds(30), TaskRunContext.Current!.CancellationToken);
        return 1;
    }

    [Flow(Name = "task-timeout")]
    internal static async Task<string> TimeoutFlow()
    {
        try
        {
            await Flows.CallAsync(Slow);
            return "finished";
        }
        catch (RunTimedOutException e)
        {
            return e.Message;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Task_Throws_TaskAndFlowFailedWithTypeAndMessage_CallerGetsException_StackTraceLogged(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();

        var thrown = Assert.Throws<InvalidOperationException>(() => Flows.Call(FailingFlow));

        Assert.Equal("bad input 1", thrown.Message);
        var run = Assert.Single(await server.FlowRunsAsync("failing-flow"));
        Assert.Equal("FAILED", run.Str("state_type"));
        Assert.Equal("Flow run encountered an exception: InvalidOperationException: bad input 1", run.State().Str("message"));
        var tasks = await server.TaskRunsAsync(run.Id());
        Assert.Equal(["ok-0", "boom-0"], tasks.Select(t => t.Str("name")));
        Assert.Equal("Completed", tasks[0].Str("state_name"));
        Assert.Equal("Failed", tasks[1].Str("state_name"));
        Assert.Equal("Task run encountered an exception: InvalidOperationException: bad input 1", tasks[1].State().Str("message"));

        var logs = await server.LogsAsync(run.Id());
        var taskError = Assert.Single(logs, l => l.Str("task_run_id") == tasks[1].Str("id") && l.Int("level") == 40);
        Assert.Contains("System.InvalidOperationException: bad input 1", taskError.Str("message"), StringComparison.Ordinal);
        Assert.Contains(nameof(Boom), taskError.Str("message"), StringComparison.Ordinal);
        Assert.Contains(logs, l => l.Str("task_run_id").Length == 0 && l.Int("level") == 40);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Task_ExceedsTimeout_FailedTimedOut_FlowCatchesAndCompletes(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();

        var result = await Flows.CallAsync(TimeoutFlow);

        Assert.Equal("Task run exceeded timeout of 0.3 seconds", result);
        var run = Assert.Single(await server.FlowRunsAsync("task-timeout"));
        Assert.Equal("Completed", run.Str("state_name"));
        var task = Assert.Single(await server.TaskRunsAsync(run.Id()));
        Assert.Equal("FAILED", task.Str("state_type"));
        Assert.Equal("TimedOut", task.Str("state_name"));
        Assert.Equal("Task run exceeded timeout of 0.3 seconds", task.State().Str("message"));
    }
}
