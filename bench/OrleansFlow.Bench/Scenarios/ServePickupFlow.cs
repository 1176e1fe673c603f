using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansFlow.Bench.Scenarios;

/// <summary>The flow the <c>serve-pickup</c> scenario serves: its body records when it started, by flow run id.</summary>
internal static class ServePickupFlow
{
    private static readonly ConcurrentDictionary<Guid, TaskCompletionSource<long>> Started = new();

    /// <summary>A completion that gets the <see cref="Stopwatch"/> timestamp at which run <paramref name="id"/>'s body began.</summary>
    public static Task<long> StartOf(Guid id) =>
        Started.GetOrAdd(id, static _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public static void Forget(Guid id) => Started.TryRemove(id, out _);

    [Flow(Name = "serve-pickup-probe", LogPrints = false)]
    public static int Probe(int n)
    {
        var now = Stopwatch.GetTimestamp();
        Started.GetOrAdd(FlowRunContext.Current!.FlowRunId,
            static _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(now);
        return n;
    }
}
