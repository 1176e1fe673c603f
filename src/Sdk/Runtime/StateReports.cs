namespace OrleansFlow.Runtime;

/// <summary>A flow run's task states reported without waiting for the server's answer. A task called directly (not
/// submitted) whose caller needs nothing of the answer (no final-state request, no completion hooks) returns its value as
/// soon as its COMPLETED proposal is sent; the flow goes on while the server commits it, so a sequential task costs one
/// round trip on the caller's path instead of two. The SDK never used the answer to a COMPLETED proposal for the value,
/// so nothing the flow sees changes. What waits for the reports: a task with a cache key or tags before it proposes RUNNING
/// (so a cache entry or a tag's slot an earlier task gives back is there), and the flow before its own final state. A
/// report that failed or got no answer in time (the server was lost) is thrown there as an
/// <see cref="HttpRequestException"/>, and the flow run ends as when the engine loses the server. At most
/// <see cref="MaxInFlight"/> reports are in flight; past that a task waits for its own answer.</summary>
internal sealed class StateReports
{
    /// <summary>The most reports in flight at once per flow run.</summary>
    public const int MaxInFlight = 8;

    private readonly PendingWork _inFlight = new();
    private Exception? _failure;

    /// <summary>Starts <paramref name="report"/> unless <see cref="MaxInFlight"/> are in flight already.</summary>
    /// <returns>False when the caller must send the report itself and wait.</returns>
    public bool TryStart(Func<Task> report)
    {
        if (!_inFlight.TryAdd(MaxInFlight))
        {
            return false;
        }

        Task sent;
        try
        {
            sent = report();
        }
        catch (Exception e)
        {
            sent = Task.FromException(e);
        }

        sent.ContinueWith(static (t, state) => ((StateReports)state!).Finished(Failure(t)), this,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return true;
    }

    /// <summary>Waits until every report started so far has its answer; throws the first report that failed.</summary>
    public async Task DrainAsync()
    {
        await _inFlight.WhenDrained().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _failure, null) is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>What went wrong with a report: its exception, or for one that timed out (a cancelled task), an
    /// <see cref="HttpRequestException"/> saying so.</summary>
    private static Exception? Failure(Task report) => report.IsCanceled
        ? new HttpRequestException("A task run's COMPLETED proposal got no answer from the server in time.", new TaskCanceledException(report))
        : report.Exception?.InnerException;

    private void Finished(Exception? failure)
    {
        if (failure is not null)
        {
            Interlocked.CompareExchange(ref _failure, failure, null);
        }

        _inFlight.Done();
    }
}
