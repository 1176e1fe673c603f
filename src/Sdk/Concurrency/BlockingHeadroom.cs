namespace OrleansFlow;

/// <summary>Thread-pool headroom for the concurrent task runner. A submitted call of a synchronous task blocks its
/// pool thread on the task's HTTP calls, so a flow with N slots can block N pool threads at once. The pool starts with
/// one thread per core and, once they all wait, adds threads only a few per second: a first <c>Flows.Map</c> of 200
/// calls at 64 slots took 13.6 s in a new process on 2 cores, against 0.23 s once the pool had grown. While flows with
/// the concurrent runner run, the pool's minimum worker threads is raised by the slots they hold, so it creates the
/// threads those calls block at once; it returns to where it was when the last such flow ends.</summary>
internal static class BlockingHeadroom
{
    private static readonly Lock Gate = new();
    private static int _reserved;
    private static int _baseline;

    /// <summary>Adds <paramref name="threads"/> to the pool's minimum; dispose the result to take them back.</summary>
    public static IDisposable Reserve(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        lock (Gate)
        {
            if (_reserved == 0)
            {
                ThreadPool.GetMinThreads(out _baseline, out _);
            }

            _reserved += threads;
            Apply();
        }

        return new Reservation(threads);
    }

    private static void Apply()
    {
        ThreadPool.GetMinThreads(out _, out var io);
        ThreadPool.SetMinThreads(_baseline + _reserved, io);
    }

    private sealed class Reservation(int threads) : IDisposable
    {
        private int _threads = threads;

        public void Dispose()
        {
            var threads = Interlocked.Exchange(ref _threads, 0);
            if (threads == 0)
            {
                return;
            }

            lock (Gate)
            {
                _reserved -= threads;
                Apply();
            }
        }
    }
}
