using OrleansFlow.Grains.Hosting;

namespace OrleansFlow.Grains.WorkPools;

/// <summary>A work-pool grain: claims of the pool's runs take turns on its one activation in the cluster (each still one
/// transaction with the pool's row locked, so two processes on one SQLite file stay correct), and waiting workers wait
/// on it until <see cref="PulseAsync"/> moves its work generation on.</summary>
internal sealed class WorkPoolGrain(IGrainServices services, IWorkPoolStore store) : Grain, IWorkPoolGrain
{
    private long _generation;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<WorkClaim> ClaimAsync(IReadOnlyList<string>? queueNames, DateTimeOffset? before, int? limit, string? workerName)
    {
        // Taken first: a pulse that arrives while the claim reads (pulses interleave) moves the generation past it.
        var generation = _generation;
        var runs = await store.ClaimAsync(this.GetPrimaryKey(), queueNames, before, limit, workerName, CancellationToken.None);
        return new WorkClaim(runs, generation);
    }

    public async Task<long> WaitForWorkAsync(long seen, TimeSpan wait)
    {
        if (_generation > seen || wait <= TimeSpan.Zero)
        {
            return _generation;
        }

        using var timeout = new CancellationTokenSource();
        var next = _next.Task;
        var delay = Task.Delay(wait, services.Clock, timeout.Token);
        if (await Task.WhenAny(next, delay) == next)
        {
            await timeout.CancelAsync();
        }

        return _generation;
    }

    public Task PulseAsync()
    {
        _generation++;
        var woken = _next;
        _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        woken.TrySetResult();
        return Task.CompletedTask;
    }
}
