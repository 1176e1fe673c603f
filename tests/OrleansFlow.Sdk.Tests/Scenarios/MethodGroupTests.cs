using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Scenarios;

public sealed class MethodGroupTests
{
    [FlowTask]
    internal static int Square(int x) => x * x;

    [FlowTask]
    internal static int Seven() => 7;

    [Flow(Name = "method-groups")]
    internal static int MethodGroupFlow()
    {
        // Method groups reach the SDK as delegates, which no interceptor sees: Map and Submit orchestrate them anyway.
        var squares = Flows.Map(Square, [1, 2, 3]);
        var seven = Flows.Submit(Seven);
        return squares.Sum(f => f.Result()) + seven.Result();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MapAndSubmitOfMethodGroups_EachCallIsATaskRun(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();

        Assert.Equal(21, Flows.Call(MethodGroupFlow));

        var run = Assert.Single(await server.FlowRunsAsync("method-groups"));
        var tasks = await server.TaskRunsAsync(run.Id());
        Assert.Equal(4, tasks.Count);
        Assert.All(tasks, t => Assert.Equal("Completed", t.Str("state_name")));
        Assert.Equal(3, tasks.Count(t => t.Str("task_key").EndsWith(".Square", StringComparison.Ordinal)));
    }
}
