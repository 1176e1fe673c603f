using System.Runtime.ExceptionServices;
using OrleansFlow.Client;

namespace OrleansFlow;

/// <summary>The outcome of a run called for its state (Prefect's <c>return_state=True</c>): the final state the server
/// recorded, and the value or the exception. Returned by <c>Flows.CallForState</c>, which never throws the run's exception.</summary>
/// <typeparam name="T">The run's result type.</typeparam>
public sealed class RunState<T>
{
    internal RunState(State? state, T? value, Exception? exception)
    {
        State = state;
        Value = value;
        Exception = exception;
    }

    /// <summary>The final state (e.g. COMPLETED/Completed, COMPLETED/Cached, FAILED/Failed, FAILED/TimedOut); null when the
    /// method ran as a plain call (a task outside a flow) or the server stopped the run before it had one.</summary>
    public State? State { get; }

    /// <summary>The run's value when it completed, else the default.</summary>
    public T? Value { get; }

    /// <summary>The exception the run failed with, or null.</summary>
    public Exception? Exception { get; }

    /// <summary>True when the run completed (including Cached).</summary>
    public bool IsCompleted => Exception is null;

    /// <summary>The value, or the run's exception rethrown (Prefect's <c>state.result()</c>).</summary>
    public T Result()
    {
        if (Exception is not null)
        {
            ExceptionDispatchInfo.Throw(Exception);
        }

        return Value!;
    }
}
