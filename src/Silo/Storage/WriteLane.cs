using System.Data.Common;

namespace OrleansFlow.Silo.Storage;

/// <summary>One connection that a <see cref="GroupCommitWriter"/> runs batches of writes on.</summary>
internal abstract class WriteLane : IAsyncDisposable
{
    /// <summary>True when each unit of work gets its own savepoint, so a failing unit rolls back alone (cheap on SQLite);
    /// false when a failure rolls back the batch and its units are run again one transaction each (saves round trips
    /// on PostgreSQL).</summary>
    public abstract bool UsesSavepoints { get; }

    /// <summary>The statements kept prepared on the lane's connection, or null when the lane keeps none.</summary>
    public virtual StatementCache? Statements => null;

    /// <summary>Begins a write transaction on the lane's connection, (re)opening it when needed.</summary>
    public abstract Task<DbTransaction> BeginAsync(CancellationToken cancellationToken);

    /// <summary>True when an exception means the unit may succeed if run again (deadlock, serialization failure, busy).</summary>
    public abstract bool IsTransient(Exception exception);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
