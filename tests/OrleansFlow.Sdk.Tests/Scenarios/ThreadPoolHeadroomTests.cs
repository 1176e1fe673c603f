using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Scenarios;

/// <summary>Synchronous task calls submitted to the concurrent runner block their pool threads; while such a flow runs,
/// the pool's minimum worker threads covers its slots, and it goes back when the flow ends. Runs alone: the minimum is
/// process-wide.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ThreadPoolHeadroomTests
{
    private const int Slots = 40;
    private static int _smallestMinimumSeen = int.MaxValue;

    [FlowTask]
    internal static int Probe(int x)
    {
        ThreadPool.GetMinThreads(out var workers, out _);
        int seen;
        while (workers < (seen = Volatile.Read(ref _smallestMinimumSeen))
            && Interlocked.CompareExchange(ref _smallestMinimumSeen, workers, seen) != seen)
        {
        }

        return x;
    }

    [Flow(Name = "headroom", MaxConcurrency = Slots)]
    internal static int HeadroomFlow() => Flows.Map(x => Flows.Call(Probe, x), Enumerable.Range(0, 3 * Slots)).Sum(f => f.Result());

    [Fact]
    public async Task Map_OfSynchronousTasks_PoolMinimumCoversTheSlotsWhileTheFlowRuns_AndGoesBackAfter()
    {
        await using var server = await SdkServer.StartAsync(postgres: false);
        using var api = server.Use();
        ThreadPool.GetMinThreads(out var before, out _);

        var sum = Flows.Call(HeadroomFlow);

        Assert.Equal(Enumerable.Range(0, 3 * Slots).Sum(), sum);
        Assert.True(_smallestMinimumSeen >= before + Slots, $"minimum worker threads inside the tasks: {_smallestMinimumSeen}, before: {before}");
        ThreadPool.GetMinThreads(out var after, out _);
        Assert.Equal(before, after);
        var run = Assert.Single(await server.FlowRunsAsync("headroom"));
        Assert.Equal("Completed", run.Str("state_name"));
    }
}
