using System.Data.Common;

namespace OrleansFlow.Silo.Storage;

/// <summary>One connection that a <see cref="GroupCommitWriter"/> runs batches of writes on.</summary>
internal abstract class WriteLane : IAsyncDisposable
{
    /// <summary>How a batch in which a unit failed runs again: true, in one transaction with a savepoint per unit, so the
    /// failing unit rolls back alone (one more commit on SQLite); false, one transaction per unit (PostgreSQL, where a
    /// savepoint per unit would cost round trips). A batch always runs first with no savepoints.</summary>
    public abstract bool UsesSavepoints { get; }

    /// <summary>The statements kept prepared on the lane's connection, or null when the lane keeps none.</summary>
    public virtual StatementCache? Statements => null;

    /// <summary>True when a commit on this lane returns before what it wrote is durable, and <see cref="SyncAsync"/> makes
    /// it so. The writer then answers a batch's units only after a sync that began after their commit ended, and commits
    /// the next batch while that sync runs.</summary>
    public virtual bool SyncsAfterCommit => false;

    /// <summary>Makes durable everything the lane's commits have written so far. Called by one loop at a time, beside the
    /// lane's next commit; only when <see cref="SyncsAfterCommit"/> is true.</summary>
    public virtual ValueTask SyncAsync() => ValueTask.CompletedTask;

    /// <summary>Begins a write transaction on the lane's connection, (re)opening it when needed.</summary>
    public abstract Task<DbTransaction> BeginAsync(CancellationToken cancellationToken);

    /// <summary>True when an exception means the unit may succeed if run again (deadlock, serialization failure, busy).</summary>
    public abstract bool IsTransient(Exception exception);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
