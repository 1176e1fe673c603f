using System.Collections.Concurrent;
using System.Reflection;
using OrleansFlow.Runtime;

namespace OrleansFlow;

/// <summary>Explicit calls of <c>[Flow]</c> and <c>[FlowTask]</c> methods, for code built without the source generator:
/// <c>var raw = Flows.Call(ExtractData);</c> and <c>var total = Flows.Call(Transform, raw);</c> run the method as an
/// orchestrated flow run or task run, exactly as the intercepted plain call <c>Transform(raw)</c> does.</summary>
public static partial class Flows
{
    private static readonly ConcurrentDictionary<MethodInfo, object> Definitions = new();

    /// <summary>Calls a flow or task method with no arguments.</summary>
    /// <exception cref="ArgumentException">The method has neither <c>[Flow]</c> nor <c>[FlowTask]</c> (e.g. a lambda).</exception>
    public static TResult Call<TResult>(Func<TResult> method) => Run(method, () => method(), []);

    /// <summary>Calls a flow or task method with one argument.</summary>
    public static TResult Call<T1, TResult>(Func<T1, TResult> method, T1 arg1) => Run(method, () => method(arg1), [arg1]);

    /// <summary>Calls a flow or task method with two arguments.</summary>
    public static TResult Call<T1, T2, TResult>(Func<T1, T2, TResult> method, T1 arg1, T2 arg2) =>
        Run(method, () => method(arg1, arg2), [arg1, arg2]);

    /// <summary>Calls a flow or task method with three arguments.</summary>
    public static TResult Call<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> method, T1 arg1, T2 arg2, T3 arg3) =>
        Run(method, () => method(arg1, arg2, arg3), [arg1, arg2, arg3]);

    /// <summary>Calls a flow or task method that returns nothing, with no arguments.</summary>
    public static void Call(Action method) => RunVoid(method, () => method(), []);

    /// <summary>Calls a flow or task method that returns nothing, with one argument.</summary>
    public static void Call<T1>(Action<T1> method, T1 arg1) => RunVoid(method, () => method(arg1), [arg1]);

    /// <summary>Calls a flow or task method that returns nothing, with two arguments.</summary>
    public static void Call<T1, T2>(Action<T1, T2> method, T1 arg1, T2 arg2) => RunVoid(method, () => method(arg1, arg2), [arg1, arg2]);

    /// <summary>Calls an asynchronous flow or task method with no arguments.</summary>
    public static Task<TResult> CallAsync<TResult>(Func<Task<TResult>> method) => RunAsync(method, () => method(), []);

    /// <summary>Calls an asynchronous flow or task method with one argument.</summary>
    public static Task<TResult> CallAsync<T1, TResult>(Func<T1, Task<TResult>> method, T1 arg1) => RunAsync(method, () => method(arg1), [arg1]);

    /// <summary>Calls an asynchronous flow or task method with two arguments.</summary>
    public static Task<TResult> CallAsync<T1, T2, TResult>(Func<T1, T2, Task<TResult>> method, T1 arg1, T2 arg2) =>
        RunAsync(method, () => method(arg1, arg2), [arg1, arg2]);

    /// <summary>Calls an asynchronous flow or task method that returns nothing, with no arguments.</summary>
    public static Task CallAsync(Func<Task> method) => RunVoidAsync(method, () => method(), []);

    /// <summary>Calls an asynchronous flow or task method that returns nothing, with one argument.</summary>
    public static Task CallAsync<T1>(Func<T1, Task> method, T1 arg1) => RunVoidAsync(method, () => method(arg1), [arg1]);

    private static TResult Run<TResult>(Delegate method, Func<TResult> body, object?[] args) => Definition(method) switch
    {
        FlowDefinition flow => FlowRuntime.RunFlow(flow, body, Names(flow.Method), args),
        TaskDefinition task => FlowRuntime.RunTask(task, body, Names(task.Method), args),
        _ => throw new InvalidOperationException("Unknown definition."),
    };

    private static void RunVoid(Delegate method, Action body, object?[] args)
    {
        switch (Definition(method))
        {
            case FlowDefinition flow:
                FlowRuntime.RunFlow(flow, body, Names(flow.Method), args);
                break;
            case TaskDefinition task:
                FlowRuntime.RunTask(task, body, Names(task.Method), args);
                break;
        }
    }

    private static Task<TResult> RunAsync<TResult>(Delegate method, Func<Task<TResult>> body, object?[] args) => Definition(method) switch
    {
        FlowDefinition flow => FlowRuntime.RunFlowAsync(flow, body, Names(flow.Method), args),
        TaskDefinition task => FlowRuntime.RunTaskAsync(task, body, Names(task.Method), args),
        _ => throw new InvalidOperationException("Unknown definition."),
    };

    private static Task RunVoidAsync(Delegate method, Func<Task> body, object?[] args) => Definition(method) switch
    {
        FlowDefinition flow => FlowRuntime.RunFlowAsync(flow, body, Names(flow.Method), args),
        TaskDefinition task => FlowRuntime.RunTaskAsync(task, body, Names(task.Method), args),
        _ => throw new InvalidOperationException("Unknown definition."),
    };

    /// <summary>True when <paramref name="method"/> is a <c>[Flow]</c> or <c>[FlowTask]</c> method itself (a method group), whose
    /// invocation through the delegate no interceptor sees: <see cref="Map{T, TResult}(Func{T, TResult}, IEnumerable{T}, IEnumerable{TaskFuture}?)"/>
    /// and <c>Submit</c> then orchestrate the call themselves.</summary>
    private static bool IsDefinition(Delegate method) =>
        method.Method.IsDefined(typeof(FlowTaskAttribute), false) || method.Method.IsDefined(typeof(FlowAttribute), false);

    private static Func<TResult> Orchestrated<TResult>(Func<TResult> call) => IsDefinition(call) ? () => Call(call) : call;

    private static Func<Task<TResult>> Orchestrated<TResult>(Func<Task<TResult>> call) => IsDefinition(call) ? () => CallAsync(call) : call;

    private static Action Orchestrated(Action call) => IsDefinition(call) ? () => Call(call) : call;

    private static Func<Task> Orchestrated(Func<Task> call) => IsDefinition(call) ? () => CallAsync(call) : call;

    private static Func<T, TResult> Orchestrated<T, TResult>(Func<T, TResult> call) =>
        IsDefinition(call) ? x => Call(call, x) : call;

    private static Func<T, Task<TResult>> Orchestrated<T, TResult>(Func<T, Task<TResult>> call) =>
        IsDefinition(call) ? x => CallAsync(call, x) : call;

    private static Func<T1, T2, TResult> Orchestrated<T1, T2, TResult>(Func<T1, T2, TResult> call) =>
        IsDefinition(call) ? (x, y) => Call(call, x, y) : call;

    private static object Definition(Delegate method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Definitions.GetOrAdd(method.Method, static m =>
            m.GetCustomAttribute<FlowAttribute>() is not null ? FlowDefinition.For(m)
            : m.GetCustomAttribute<FlowTaskAttribute>() is not null ? TaskDefinition.For(m)
            : throw new ArgumentException(
                $"{m.DeclaringType?.Name}.{m.Name} has neither [Flow] nor [FlowTask]: pass the method itself (a method group), not a lambda.",
                nameof(method)));
    }

    private static string[] Names(MethodInfo method) => [.. method.GetParameters().Select(p => p.Name ?? $"arg{p.Position}")];
}
