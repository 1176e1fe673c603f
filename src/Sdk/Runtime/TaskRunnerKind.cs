namespace OrleansFlow;

/// <summary>How a flow runs the tasks submitted with <see cref="Flows.Submit{T}(Func{T}, IEnumerable{TaskFuture}?)"/>
/// and <see cref="Flows.Map{T, TResult}(Func{T, TResult}, IEnumerable{T}, IEnumerable{TaskFuture}?)"/>.</summary>
public enum TaskRunnerKind
{
    /// <summary>On the thread pool, at most <see cref="FlowAttribute.MaxConcurrency"/> at a time (the default).</summary>
    Concurrent,

    /// <summary>One after the other, each when it is submitted, on the submitting thread.</summary>
    Sequential,
}
