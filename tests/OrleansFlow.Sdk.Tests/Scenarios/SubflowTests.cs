using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Scenarios;

public sealed class SubflowTests
{
    [FlowTask]
    internal static int Double(int x) => x * 2;

    [Flow(Name = "child-flow")]
    internal static int ChildFlow(int x) => Flows.Call(Double, x);

    [Flow(Name = "parent-flow")]
    internal static int ParentFlow(int n) => Flows.Call(ChildFlow, n) + Flows.Call(ChildFlow, n * 2);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Flow_CalledInsideAFlow_ChildRunLinkedToAParentTaskRun(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();

        var result = Flows.Call(ParentFlow, 3);

        Assert.Equal(18, result);
        var parent = Assert.Single(await server.FlowRunsAsync("parent-flow"));
        Assert.Equal("Completed", parent.Str("state_name"));
        var parentTasks = await server.TaskRunsAsync(parent.Id());
        Assert.Equal(2, parentTasks.Count);
        Assert.All(parentTasks, t => Assert.Equal(typeof(SubflowTests).FullName + ".ChildFlow", t.Str("task_key")));
        Assert.Equal(["0", "1"], parentTasks.Select(t => t.Str("dynamic_key")));

        var children = (await server.FlowRunsAsync("child-flow")).OrderBy(r => r.Str("created"), StringComparer.Ordinal).ToList();
        Assert.Equal(2, children.Count);
        Assert.Equal(parentTasks.Select(t => t.Str("id")), children.Select(c => c.Str("parent_task_run_id")));
        Assert.Equal([3, 6], children.Select(c => c["parameters"]!["x"]!.GetValue<int>()));
        Assert.All(children, c => Assert.Equal("Completed", c.Str("state_name")));
        var grandchild = Assert.Single(await server.TaskRunsAsync(children[0].Id()));
        Assert.Equal("double-0", grandchild.Str("name"));
    }
}
