using OrleansFlow.Grains.Events;

namespace OrleansFlow.Grains.Hosting;

/// <summary>The database the grains persist to, as the silo hosting them provides it. A grain hands a unit of work to it;
/// the work reads and writes through the grains' store interfaces (<see cref="FlowRuns.IFlowRunStore"/> and the others)
/// inside the transaction it is given. Every write the stores make is conditional on the row version the grain holds, so
/// a second activation of the same grain (another process on one SQLite file, or a membership change) can never apply a
/// decision twice.</summary>
public interface IGrainDatabase
{
    /// <summary>Runs <paramref name="write"/> inside one write transaction: it commits when the work returns (together
    /// with other grains' writes: a group commit) and rolls back when it throws. When it throws
    /// <see cref="Orchestration.ConcurrencyConflictException"/> (a row moved on since the grain read it), the work runs
    /// again on a new transaction: it must then read what it decides on instead of using what it held.</summary>
    /// <typeparam name="T">What the work returns.</typeparam>
    /// <param name="write">The unit of work.</param>
    /// <param name="cancellationToken">Cancels the work before it commits.</param>
    Task<T> WriteAsync<T>(Func<IGrainTransaction, Task<T>> write, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="read"/> on a read connection (a consistent snapshot is not promised across statements).</summary>
    /// <typeparam name="T">What the work returns.</typeparam>
    /// <param name="read">The unit of work; it must not write.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    Task<T> ReadAsync<T>(Func<IGrainTransaction, Task<T>> read, CancellationToken cancellationToken);
}

/// <summary>One transaction of an <see cref="IGrainDatabase"/> unit of work: the stores read and write in it, and the events
/// emitted in it are stored with its commit (or not at all).</summary>
public interface IGrainTransaction
{
    /// <summary>Stores <paramref name="emitted"/> with this transaction's commit.</summary>
    /// <param name="emitted">The event.</param>
    void Emit(Event emitted);
}
