namespace OrleansFlow.Runtime;

/// <summary>A flow run's task states reported without waiting for the server's answer. A task called directly (not
/// submitted) whose caller needs nothing of the answer (no final-state request, no completion hooks) returns its value as
/// soon as its COMPLETED proposal is sent; the flow goes on while the server commits it, so a sequential task costs one
/// round trip on the caller's path instead of two. The SDK never used the answer to a COMPLETED proposal for the value,
/// so nothing the flow sees changes. What waits for the reports: a task with a cache key before it proposes RUNNING (so a
/// cache entry written by an earlier task is found), and the flow before its own final state. A report that failed
/// (the server was lost) is thrown there, and the flow run ends as when the engine loses the server. At most
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

        sent.ContinueWith(static (t, state) => ((StateReports)state!).Finished(t.Exception?.InnerException), this,
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

    private void Finished(Exception? failure)
    {
        if (failure is not null)
        {
            Interlocked.CompareExchange(ref _failure, failure, null);
        }

        _inFlight.Done();
    }
}
