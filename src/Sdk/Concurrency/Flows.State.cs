using OrleansFlow.Runtime;

namespace OrleansFlow;

/// <summary>Calls for the final state instead of the value, and futures whose failure does not stop downstream tasks.</summary>
public static partial class Flows
{
    /// <summary>Calls a flow or task method and returns its final state and value; a failure does not throw but is in
    /// the returned <see cref="RunState{T}"/> (Prefect's <c>return_state=True</c>).</summary>
    public static RunState<TResult> CallForState<TResult>(Func<TResult> method) => ForState(() => Call(method));

    /// <summary>Calls a flow or task method with one argument for its final state.</summary>
    public static RunState<TResult> CallForState<T1, TResult>(Func<T1, TResult> method, T1 arg1) => ForState(() => Call(method, arg1));

    /// <summary>Calls a flow or task method with two arguments for its final state.</summary>
    public static RunState<TResult> CallForState<T1, T2, TResult>(Func<T1, T2, TResult> method, T1 arg1, T2 arg2) =>
        ForState(() => Call(method, arg1, arg2));

    /// <summary>Calls an asynchronous flow or task method for its final state.</summary>
    public static Task<RunState<TResult>> CallForStateAsync<TResult>(Func<Task<TResult>> method) => ForStateAsync(() => CallAsync(method));

    /// <summary>Calls an asynchronous flow or task method with one argument for its final state.</summary>
    public static Task<RunState<TResult>> CallForStateAsync<T1, TResult>(Func<T1, Task<TResult>> method, T1 arg1) =>
        ForStateAsync(() => CallAsync(method, arg1));

    /// <summary>A future for <c>waitFor</c> that finishes when <paramref name="future"/> does, failed or not, so the
    /// downstream task runs either way (Prefect's <c>allow_failure</c>).</summary>
    public static TaskFuture AllowFailure(TaskFuture future)
    {
        ArgumentNullException.ThrowIfNull(future);
        return new TaskFuture(future.Completion.ContinueWith(static _ => { }, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default))
        {
            Submission = future.Submission,
        };
    }

    private static RunState<TResult> ForState<TResult>(Func<TResult> call)
    {
        var box = FinalState.Expect();
        try
        {
            var value = call();
            return new RunState<TResult>(box.Value, value, null);
        }
#pragma warning disable CA1031 // The failure is the caller's to inspect in the returned state.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new RunState<TResult>(box.Value, default, e);
        }
        finally
        {
            FinalState.Clear();
        }
    }

    private static async Task<RunState<TResult>> ForStateAsync<TResult>(Func<Task<TResult>> call)
    {
        var box = FinalState.Expect();
        try
        {
            var value = await call().ConfigureAwait(false);
            return new RunState<TResult>(box.Value, value, null);
        }
#pragma warning disable CA1031 // The failure is the caller's to inspect in the returned state.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new RunState<TResult>(box.Value, default, e);
        }
        finally
        {
            FinalState.Clear();
        }
    }
}
