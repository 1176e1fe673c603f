using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansFlow.Bench.Scenarios.Memory;

/// <summary>Hands out run numbers to the workers and, at every tenth of the runs completed, reads the server's memory
/// and reports progress: whether the resident set grows with the runs done or levels off.</summary>
internal sealed class MemoryProgress(long total, MemorySampler sampler, TextWriter log)
{
    private readonly long _step = Math.Max(1, total / 10);
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _taken;
    private long _completed;

    /// <summary>(runs completed, seconds since the start, VmRSS bytes, RssAnon bytes) at every tenth.</summary>
    public ConcurrentQueue<(long Runs, double Seconds, long RssBytes, long AnonBytes)> Checkpoints { get; } = new();

    public long CompletedRuns => Interlocked.Read(ref _completed);

    /// <summary>Attempted runs (completed or failed) stop at the total.</summary>
    public bool TryTake(out long number)
    {
        number = Interlocked.Increment(ref _taken);
        return number <= total;
    }

    public void Completed()
    {
        var done = Interlocked.Increment(ref _completed);
        if (done % _step != 0)
        {
            return;
        }

        sampler.Sample();
        var seconds = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        Checkpoints.Enqueue((done, seconds, sampler.LatestRss, sampler.LatestAnon));
        log.WriteLine(FormattableString.Invariant(
            $"[memory] {done:N0}/{total:N0} runs, {done / seconds:0} runs/s, server RSS {sampler.LatestRss / 1048576.0:0} MB (anon {sampler.LatestAnon / 1048576.0:0} MB, peak so far {sampler.PeakRss / 1048576.0:0} MB)"));
    }
}
