using OrleansFlow.Bench.Metrics;

namespace OrleansFlow.Bench.Scenarios.Memory;

/// <summary>Reads the server's resident set every interval until stopped and keeps the largest value seen.</summary>
internal sealed class MemorySampler(int pid, TimeSpan interval)
{
    private long _peakRss;
    private long _latestRss;
    private long _latestAnon;
    private int _samples;

    /// <summary>The largest VmRSS read, in bytes.</summary>
    public long PeakRss => Interlocked.Read(ref _peakRss);

    /// <summary>The last VmRSS read, in bytes.</summary>
    public long LatestRss => Interlocked.Read(ref _latestRss);

    /// <summary>The last RssAnon read, in bytes.</summary>
    public long LatestAnon => Interlocked.Read(ref _latestAnon);

    /// <summary>Readings taken.</summary>
    public int Samples => Volatile.Read(ref _samples);

    /// <summary>Reads once now; false when the process cannot be read.</summary>
    public bool Sample()
    {
        if (ProcessMemoryReader.TryRead(pid) is not { } memory)
        {
            return false;
        }

        Interlocked.Exchange(ref _latestRss, memory.RssBytes);
        Interlocked.Exchange(ref _latestAnon, memory.AnonBytes);
        Interlocked.Increment(ref _samples);
        long peak;
        while (memory.RssBytes > (peak = Interlocked.Read(ref _peakRss)) && Interlocked.CompareExchange(ref _peakRss, memory.RssBytes, peak) != peak)
        {
        }

        return true;
    }

    /// <summary>Samples every interval until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
