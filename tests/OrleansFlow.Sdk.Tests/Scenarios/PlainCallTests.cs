using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Scenarios;

/// <summary>The experience: flows and tasks called as plain methods (the source generator intercepts the calls).</summary>
public sealed class PlainCallTests
{
    public sealed record Data(int Users, int Events, int Total = 0);

    [FlowTask(Retries = 3, RetryDelaySeconds = 1)]
    internal static Data ExtractData() => new(Users: 100, Events: 1000);

    [FlowTask]
    internal static Data TransformData(Data d) => d with { Total = d.Users + d.Events };

    [FlowTask]
    internal static void LoadData(Data d) => Console.WriteLine($"Loading data: {d}");

    [Flow(Name = "plain-etl")]
    internal static Data EtlFlow()
    {
        var raw = ExtractData();
        var transformed = TransformData(raw);
        LoadData(transformed);
        return transformed;
    }

    [FlowTask]
    internal static async Task<int> FetchAsync(int page)
    {
        await Task.Yield();
        return page * 10;
    }

    [Flow(Name = "plain-async")]
    internal static async Task<int> AsyncFlow(int pages)
    {
        var total = 0;
        for (var page = 1; page <= pages; page++)
        {
            total += await FetchAsync(page);
        }

        var mapped = Flows.Map(p => FetchAsync(p), [4, 5]);
        foreach (var future in mapped)
        {
            total += await future;
        }

        return total;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EtlFlow_PlainCalls_OneFlowRunWithThreeTaskRuns(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();

        var result = EtlFlow();

        Assert.Equal(1100, result.Total);
        var run = Assert.Single(await server.FlowRunsAsync("plain-etl"));
        Assert.Equal("Completed", run.Str("state_name"));
        Assert.Equal(["extract-data-0", "transform-data-0", "load-data-0"], (await server.TaskRunsAsync(run.Id())).Select(t => t.Str("name")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AsyncFlow_PlainAwaitedCallsAndMap_TaskRunPerCall(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();

        var result = await AsyncFlow(3);

        Assert.Equal(60 + 90, result);
        var run = Assert.Single(await server.FlowRunsAsync("plain-async"));
        Assert.Equal("Completed", run.Str("state_name"));
        var tasks = await server.TaskRunsAsync(run.Id());
        Assert.Equal(5, tasks.Count);
        Assert.All(tasks, t => Assert.Equal("Completed", t.Str("state_name")));
    }
}
