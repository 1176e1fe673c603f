using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Scenarios;

public sealed class ConcurrencyTests
{
    private static int _running;
    private static int _maxRunning;
    private static readonly List<string> Order = [];

    [FlowTask]
    internal static int Square(int x) => x * x;

    [FlowTask]
    internal static int Add(int x, int y) => x + y;

    [FlowTask(Tags = ["sdk-db"])]
    internal static async Task<int> Query(int i)
    {
        var now = Interlocked.Increment(ref _running);
        InterlockedMax(ref _maxRunning, now);
        await Task.Delay(50);
        Interlocked.Decrement(ref _running);
        return i;
    }

    [FlowTask]
    internal static string Step(string name)
    {
        lock (Order)
        {
            Order.Add(name);
        }

        return name;
    }

    [Flow(Name = "map-and-wait-for")]
    internal static int MapFlow(int n)
    {
        var squares = Flows.Map(x => Flows.Call(Square, x), Enumerable.Range(1, n));
        var plusTen = Flows.Map((x, y) => Flows.Call(Add, x, y), new[] { 1, 2, 3 }, Unmapped.Of(10));
        var last = Flows.Submit(() => Flows.Call(Step, "after"), waitFor: squares);
        return squares.Sum(f => f.Result()) + plusTen.Sum(f => f.Result()) + last.Result().Length;
    }

    [Flow(Name = "tag-limit")]
    internal static async Task<int> LimitedFlow()
    {
        var futures = Flows.Map(i => Flows.CallAsync(Query, i), Enumerable.Range(0, 3));
        var sum = 0;
        foreach (var future in futures)
        {
            sum += await future;
        }

        return sum;
    }

    [Flow(Name = "sequential", TaskRunner = TaskRunnerKind.Sequential)]
    internal static void SequentialFlow()
    {
        var first = Flows.Submit(() => Flows.Call(Step, "first"));
        Assert.True(first.IsCompleted);
        Flows.Submit(() => Flows.Call(Step, "second"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Map_TenItemsAndUnmapped_OneTaskRunPerItem_WaitForRunsAfter(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();

        var result = Flows.Call(MapFlow, 10);

        Assert.Equal(385 + 36 + 5, result);
        var run = Assert.Single(await server.FlowRunsAsync("map-and-wait-for"));
        var tasks = await server.TaskRunsAsync(run.Id());
        Assert.Equal(14, tasks.Count);
        Assert.All(tasks, t => Assert.Equal("Completed", t.Str("state_name")));
        var squares = tasks.Where(t => t.Str("task_key").EndsWith(".Square", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(),
            squares.Select(t => t.Str("dynamic_key")).Order());
        var after = Assert.Single(tasks, t => t.Str("name") == "step-0");
        Assert.All(squares, s => Assert.True(string.CompareOrdinal(s.Str("end_time"), after.Str("start_time")) <= 0));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Submit_TagLimitOfOne_ServerWaitHonoured_OneQueryAtATime(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();
        await server.CreateTagLimitAsync("sdk-db", 1);

        var result = await Flows.CallAsync(LimitedFlow);

        Assert.Equal(3, result);
        Assert.Equal(1, _maxRunning);
        var run = Assert.Single(await server.FlowRunsAsync("tag-limit"));
        var tasks = await server.TaskRunsAsync(run.Id());
        Assert.Equal(3, tasks.Count);
        Assert.All(tasks, t => Assert.Equal("Completed", t.Str("state_name")));
        Assert.All(tasks, t => Assert.Equal(["sdk-db"], t["tags"]!.AsArray().Select(n => n!.GetValue<string>())));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Submit_SequentialRunner_EachTaskDoneBeforeSubmitReturns(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();

        Flows.Call(SequentialFlow);

        var run = Assert.Single(await server.FlowRunsAsync("sequential"));
        Assert.Equal("Completed", run.Str("state_name"));
        Assert.Equal(["step-0", "step-1"], (await server.TaskRunsAsync(run.Id())).Select(t => t.Str("name")));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
