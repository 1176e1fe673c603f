using System.Runtime.CompilerServices;

namespace OrleansFlow;

/// <summary>A task submitted to the flow's task runner (<see cref="Flows.Submit(Action, IEnumerable{TaskFuture}?)"/>):
/// wait for it with <see cref="Wait"/> or <c>await</c>, or pass it to another submission's <c>waitFor</c>.</summary>
public class TaskFuture
{
    internal TaskFuture(Task completion) => Completion = completion;

    /// <summary>True once the task has finished (completed or failed).</summary>
    public bool IsCompleted => Completion.IsCompleted;

    /// <summary>True once the task has failed.</summary>
    public bool IsFailed => Completion.IsFaulted || Completion.IsCanceled;

    internal Task Completion { get; }

    /// <summary>The submission behind this future (null for a future made from a finished state).</summary>
    internal Runtime.Submission? Submission { get; init; }

    /// <summary>Blocks until the task has finished.</summary>
    /// <exception cref="Exception">The task failed: its exception is rethrown as is.</exception>
    public void Wait() => Completion.GetAwaiter().GetResult();

    /// <summary>The task as a <see cref="Task"/>, for <c>Task.WhenAll</c> and friends.</summary>
    public Task AsTask() => Completion;

    /// <summary>Makes the future awaitable: <c>await future;</c>.</summary>
    public TaskAwaiter GetAwaiter() => Completion.GetAwaiter();
}
