namespace OrleansFlow.Runtime;

/// <summary>The entry points that intercepted calls of <c>[Flow]</c> and <c>[FlowTask]</c> methods go through. The source
/// generator rewrites <c>Etl.ExtractData(x)</c> into <c>FlowRuntime.RunTask(definition, () =&gt; Etl.ExtractData(x),
/// ["x"], [x])</c>; code may call them directly too. Each runs the body as an orchestrated run: it proposes states to
/// the server and obeys its answers (retries come back as AwaitingRetry, cache hits as Cached, full concurrency
/// limits as WAIT, a cancelled parent as ABORT).</summary>
/// <remarks>The synchronous methods block the calling thread on the HTTP calls; the asynchronous ones never block.
/// The server is the one of an enclosing <see cref="Flows.UseApi(string)"/> scope, else <c>ORLEANSFLOW_API_URL</c>, else an
/// in-process ephemeral server on the local SQLite file.</remarks>
public static class FlowRuntime
{
    /// <summary>Runs a flow: a new flow run (a subflow when called inside a flow), returning the body's value.</summary>
    /// <exception cref="Exception">The flow failed: the body's exception is rethrown as is.</exception>
    /// <exception cref="RunTimedOutException">The flow ran longer than its <c>TimeoutSeconds</c>.</exception>
    /// <exception cref="OrchestrationAbortedException">The server did not let the run start or go on.</exception>
    public static T RunFlow<T>(FlowDefinition flow, Func<T> body, string[] parameterNames, object?[] arguments) =>
        FlowEngine.RunAsync(flow, () => Task.FromResult(body()), parameterNames, arguments, typeof(T)).GetAwaiter().GetResult();

    /// <summary>Runs a flow whose body is asynchronous.</summary>
    /// <exception cref="Exception">The flow failed: the body's exception is rethrown as is.</exception>
    public static Task<T> RunFlowAsync<T>(FlowDefinition flow, Func<Task<T>> body, string[] parameterNames, object?[] arguments) =>
        FlowEngine.RunAsync(flow, body, parameterNames, arguments, typeof(T));

    /// <summary>Runs a flow that returns nothing.</summary>
    /// <exception cref="Exception">The flow failed: the body's exception is rethrown as is.</exception>
    public static void RunFlow(FlowDefinition flow, Action body, string[] parameterNames, object?[] arguments) =>
        FlowEngine.RunAsync<object?>(flow, () => { body(); return Task.FromResult<object?>(null); }, parameterNames, arguments, typeof(void))
            .GetAwaiter().GetResult();

    /// <summary>Runs an asynchronous flow that returns nothing.</summary>
    /// <exception cref="Exception">The flow failed: the body's exception is rethrown as is.</exception>
    public static Task RunFlowAsync(FlowDefinition flow, Func<Task> body, string[] parameterNames, object?[] arguments) =>
        FlowEngine.RunAsync<object?>(flow, async () => { await body().ConfigureAwait(false); return null; }, parameterNames, arguments, typeof(void));

    /// <summary>Runs a task: a task run in the current flow run (a plain call outside a flow).</summary>
    /// <exception cref="Exception">The task failed and has no retries left: the body's exception is rethrown as is.</exception>
    /// <exception cref="RunTimedOutException">The task ran longer than its <c>TimeoutSeconds</c> on its last attempt.</exception>
    /// <exception cref="OrchestrationAbortedException">The server did not let the run start (e.g. its flow run was cancelled).</exception>
    public static T RunTask<T>(TaskDefinition task, Func<T> body, string[] parameterNames, object?[] arguments) =>
        FlowRunContext.Current is null
            ? body()
            : TaskEngine.RunAsync(task, () => Task.FromResult(body()), parameterNames, arguments, typeof(T)).GetAwaiter().GetResult();

    /// <summary>Runs a task whose body is asynchronous.</summary>
    /// <exception cref="Exception">The task failed and has no retries left: the body's exception is rethrown as is.</exception>
    public static Task<T> RunTaskAsync<T>(TaskDefinition task, Func<Task<T>> body, string[] parameterNames, object?[] arguments) =>
        TaskEngine.RunAsync(task, body, parameterNames, arguments, typeof(T));

    /// <summary>Runs a task that returns nothing.</summary>
    /// <exception cref="Exception">The task failed and has no retries left: the body's exception is rethrown as is.</exception>
    public static void RunTask(TaskDefinition task, Action body, string[] parameterNames, object?[] arguments)
    {
        if (FlowRunContext.Current is null)
        {
            body();
            return;
        }

        TaskEngine.RunAsync<object?>(task, () => { body(); return Task.FromResult<object?>(null); }, parameterNames, arguments, typeof(void))
            .GetAwaiter().GetResult();
    }

    /// <summary>Runs an asynchronous task that returns nothing.</summary>
    /// <exception cref="Exception">The task failed and has no retries left: the body's exception is rethrown as is.</exception>
    public static Task RunTaskAsync(TaskDefinition task, Func<Task> body, string[] parameterNames, object?[] arguments) =>
        TaskEngine.RunAsync<object?>(task, async () => { await body().ConfigureAwait(false); return null; }, parameterNames, arguments, typeof(void));
}
