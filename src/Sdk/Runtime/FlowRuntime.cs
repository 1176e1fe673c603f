namespace OrleansFlow.Runtime;

/// <summary>The entry points that intercepted calls of <c>[Flow]</c> and <c>[FlowTask]</c> methods go through. The source
/// generator rewrites <c>Etl.ExtractData(x)</c> into <c>FlowRuntime.RunTask(definition, () =&gt; Etl.ExtractData(x),
/// ["x"], [x])</c>; code may call them directly too. Each runs the body as an orchestrated run: it proposes states to
/// the server and obeys its answers (retries come back as AwaitingRetry, cache hits as Cached, full concurrency
/// limits as WAIT, a cancelled parent as ABORT).</summary>
public static class FlowRuntime
{
    /// <summary>Runs a flow: a new flow run (a subflow when called inside a flow), returning the body's value.</summary>
    /// <exception cref="Exception">The flow failed: the body's exception is rethrown as is.</exception>
    public static T RunFlow<T>(FlowDefinition flow, Func<T> body, string[] parameterNames, object?[] arguments) =>
        throw new NotImplementedException();

    /// <summary>Runs a flow whose body is asynchronous.</summary>
    public static Task<T> RunFlowAsync<T>(FlowDefinition flow, Func<Task<T>> body, string[] parameterNames, object?[] arguments) =>
        throw new NotImplementedException();

    /// <summary>Runs a flow that returns nothing.</summary>
    public static void RunFlow(FlowDefinition flow, Action body, string[] parameterNames, object?[] arguments) =>
        throw new NotImplementedException();

    /// <summary>Runs an asynchronous flow that returns nothing.</summary>
    public static Task RunFlowAsync(FlowDefinition flow, Func<Task> body, string[] parameterNames, object?[] arguments) =>
        throw new NotImplementedException();

    /// <summary>Runs a task: a task run in the current flow run (a plain call outside a flow).</summary>
    public static T RunTask<T>(TaskDefinition task, Func<T> body, string[] parameterNames, object?[] arguments) =>
        throw new NotImplementedException();

    /// <summary>Runs a task whose body is asynchronous.</summary>
    public static Task<T> RunTaskAsync<T>(TaskDefinition task, Func<Task<T>> body, string[] parameterNames, object?[] arguments) =>
        throw new NotImplementedException();

    /// <summary>Runs a task that returns nothing.</summary>
    public static void RunTask(TaskDefinition task, Action body, string[] parameterNames, object?[] arguments) =>
        throw new NotImplementedException();

    /// <summary>Runs an asynchronous task that returns nothing.</summary>
    public static Task RunTaskAsync(TaskDefinition task, Func<Task> body, string[] parameterNames, object?[] arguments) =>
        throw new NotImplementedException();
}
