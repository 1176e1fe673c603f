using System.Runtime.CompilerServices;

namespace OrleansFlow.Silo.WorkPools;

/// <summary>Wakes long-polling workers of this process when work may have arrived (a run was created in a pool's queue).
/// Workers served by another server are woken by their own timeouts and by the due times of scheduled runs.</summary>
internal sealed class WorkSignal
{
    private static readonly ConditionalWeakTable<Runtime.OrleansFlowSilo, WorkSignal> Signals = new();

    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static WorkSignal For(Runtime.OrleansFlowSilo silo) => Signals.GetValue(silo, _ => new WorkSignal());

    /// <summary>A task that completes at the next <see cref="Pulse"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Wakes every waiter.</summary>
    public void Pulse() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
