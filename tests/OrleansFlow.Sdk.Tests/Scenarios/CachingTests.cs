using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Scenarios;

public sealed class CachingTests
{
    private static int _computed;
    private static int _refreshed;

    [FlowTask(CacheKey = typeof(TaskInputHash), CacheExpirationSeconds = 3600)]
    internal static int Expensive(int x)
    {
        Interlocked.Increment(ref _computed);
        return x * 6;
    }

    [FlowTask(CacheKey = typeof(TaskInputHash), RefreshCache = true)]
    internal static int Refreshed(int x)
    {
        Interlocked.Increment(ref _refreshed);
        return x + 1;
    }

    [Flow(Name = "task-caching")]
    internal static int CachingFlow(int x) => Flows.Call(Expensive, x) + Flows.Call(Expensive, x);

    [Flow(Name = "refresh-caching")]
    internal static int RefreshFlow(int x) => Flows.Call(Refreshed, x) + Flows.Call(Refreshed, x);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Task_SameInputsTwice_SecondRunCachedAndBodyNotRun(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();
        _computed = 0;
        _refreshed = 0; // the same statics serve both databases' runs

        var first = Flows.Call(CachingFlow, 7);
        var second = Flows.Call(CachingFlow, 7);

        Assert.Equal(84, first);
        Assert.Equal(84, second);
        Assert.Equal(1, _computed);
        var runs = (await server.FlowRunsAsync("task-caching")).OrderBy(r => r.Str("created"), StringComparer.Ordinal).ToList();
        Assert.Equal(2, runs.Count);
        var firstTasks = await server.TaskRunsAsync(runs[0].Id());
        Assert.Equal(["Completed", "Cached"], firstTasks.Select(t => t.Str("state_name")));
        Assert.All(firstTasks, t => Assert.Equal("COMPLETED", t.Str("state_type")));
        Assert.Equal(firstTasks[0].Str("cache_key"), firstTasks[1].Str("cache_key"));
        Assert.True(DateTimeOffset.Parse(firstTasks[0].Str("cache_expiration"), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(50));
        Assert.Equal("reference", firstTasks[0].State()["data"]!["type"]!.GetValue<string>());
        Assert.Equal(["Cached", "Cached"], (await server.TaskRunsAsync(runs[1].Id())).Select(t => t.Str("state_name")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Task_RefreshCache_ComputesEveryTime(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();
        _computed = 0;
        _refreshed = 0; // the same statics serve both databases' runs

        var result = Flows.Call(RefreshFlow, 1);

        Assert.Equal(4, result);
        Assert.Equal(2, _refreshed);
        var run = Assert.Single(await server.FlowRunsAsync("refresh-caching"));
        Assert.Equal(["Completed", "Completed"], (await server.TaskRunsAsync(run.Id())).Select(t => t.Str("state_name")));
    }

    [Fact]
    public void TaskInputHash_EqualArguments_EqualKeysAndDifferentArgumentsDifferentKeys()
    {
        var task = TaskDefinition.For(typeof(CachingTests).GetMethod(nameof(Expensive), System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!);
        var policy = new TaskInputHash();

        var a = policy.CacheKey(task, new Dictionary<string, object?> { ["x"] = 7 });
        var b = policy.CacheKey(task, new Dictionary<string, object?> { ["x"] = 7 });
        var c = policy.CacheKey(task, new Dictionary<string, object?> { ["x"] = 8 });

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
