namespace OrleansFlow.Runtime;

/// <summary>Counts pieces of work that are under way and tells when none is left; finished work is not kept, so memory
/// does not grow with it.</summary>
internal sealed class PendingWork
{
    private readonly Lock _gate = new();
    private int _count;
    private TaskCompletionSource? _drained;

    /// <summary>Counts one more, unless <paramref name="limit"/> are under way already.</summary>
    /// <returns>False when the limit was reached (nothing is counted).</returns>
    public bool TryAdd(int limit = int.MaxValue)
    {
        lock (_gate)
        {
            if (_count >= limit)
            {
                return false;
            }

            _count++;
            return true;
        }
    }

    /// <summary>Counts <paramref name="work"/> until it finishes, however it finishes.</summary>
    public void Track(Task work)
    {
        TryAdd();
        work.ContinueWith(static (_, state) => ((PendingWork)state!).Done(), this, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>One has finished.</summary>
    public void Done()
    {
        TaskCompletionSource? drained = null;
        lock (_gate)
        {
            if (--_count == 0)
            {
                drained = _drained;
                _drained = null;
            }
        }

        drained?.TrySetResult();
    }

    /// <summary>Completes when none is under way.</summary>
    public Task WhenDrained()
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return Task.CompletedTask;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
        }
    }
}
