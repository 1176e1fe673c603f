using System.Runtime.CompilerServices;

namespace OrleansFlow;

/// <summary>A submitted task's future value: <see cref="Result"/> blocks for it, <c>await future</c> does not.</summary>
/// <typeparam name="T">The task's result type.</typeparam>
public sealed class TaskFuture<T> : TaskFuture
{
    private readonly Task<T> _task;

    internal TaskFuture(Task<T> task) : base(task) => _task = task;

    /// <summary>Blocks until the task has finished and returns its value.</summary>
    /// <exception cref="Exception">The task failed: its exception is rethrown as is.</exception>
    public T Result() => _task.GetAwaiter().GetResult();

    /// <summary>The task as a <see cref="Task{TResult}"/>.</summary>
    public new Task<T> AsTask() => _task;

    /// <summary>Makes the future awaitable: <c>var value = await future;</c>.</summary>
    public new TaskAwaiter<T> GetAwaiter() => _task.GetAwaiter();
}
