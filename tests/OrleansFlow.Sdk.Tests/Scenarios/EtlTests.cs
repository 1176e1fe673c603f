using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Scenarios;

public sealed class EtlTests
{
    public sealed record Data(int Users, int Events, int Total = 0);

    public static class Etl
    {
        [FlowTask(Retries = 3, RetryDelaySeconds = 1)]
        public static Data ExtractData() => new(Users: 100, Events: 1000);

        [FlowTask]
        public static Data TransformData(Data d) => d with { Total = d.Users + d.Events };

        [FlowTask]
        public static void LoadData(Data d) => Console.WriteLine($"Loading data: {d}");

        [Flow(Name = "ETL Pipeline")]
        public static Data EtlFlow(string source)
        {
            var raw = Flows.Call(ExtractData);
            var transformed = Flows.Call(TransformData, raw);
            Flows.Call(LoadData, transformed);
            return transformed;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EtlFlow_ThreeTasks_FlowAndTaskRunsCompletedWithParameters(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();

        var result = Flows.Call(Etl.EtlFlow, "memory");

        Assert.Equal(new Data(100, 1000, 1100), result);
        var run = Assert.Single(await server.FlowRunsAsync("ETL Pipeline"));
        Assert.Equal("COMPLETED", run.Str("state_type"));
        Assert.Equal("Completed", run.Str("state_name"));
        Assert.Equal("memory", run["parameters"]!["source"]!.GetValue<string>());
        Assert.Equal(["Pending", "Running", "Completed"], await server.FlowRunStateNamesAsync(run.Id()));

        var tasks = await server.TaskRunsAsync(run.Id());
        Assert.Equal(["extract-data-0", "transform-data-0", "load-data-0"], tasks.Select(t => t.Str("name")));
        Assert.Equal(typeof(Etl).FullName + ".ExtractData", tasks[0].Str("task_key"));
        Assert.All(tasks, t => Assert.Equal("0", t.Str("dynamic_key")));
        Assert.All(tasks, t => Assert.Equal("Completed", t.Str("state_name")));
        Assert.All(tasks, t => Assert.Equal(1, t.Int("run_count")));
        Assert.Equal(3, tasks[0]["empirical_policy"]!["retries"]!.GetValue<int>());
        Assert.Equal(["Pending", "Running", "Completed"], await server.TaskRunStateNamesAsync(tasks[2].Id()));
    }

    [Fact]
    public void Task_CalledOutsideAFlow_RunsAsAPlainCall()
    {
        var result = Flows.Call(Etl.TransformData, new Data(1, 2));

        Assert.Equal(3, result.Total);
    }
}
