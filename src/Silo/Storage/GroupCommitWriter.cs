using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace OrleansFlow.Silo.Storage;

/// <summary>Group commit: units of write work are queued and each lane takes as many as are waiting (up to a batch
/// size) and runs them in ONE transaction, so a single commit (and a single fsync) serves many grain calls. A unit's
/// caller is answered only after the commit that made its work durable. A batch first runs with no savepoints (on SQLite a
/// savepoint per unit costs two statements and a copy of every page the unit touches). A unit that fails never takes
/// others down: the batch is rolled back and runs again, with a savepoint per unit where the lane has them (the failing
/// unit then rolls back alone), or one transaction per unit where it has not. On PostgreSQL, where every statement is a
/// round trip, a batch's units queue their expected writes (<see cref="SqlCommand.ExecuteExpectingAsync"/>) and the
/// session sends them together (<see cref="DeferredWrites"/>); a write that did not do what its unit expected fails the
/// batch like any other failure, and in the reruns every statement runs at once.
/// With several lanes and a gather delay, one lane at a time reads the queue; a lane that finds fewer than <see cref="GatherTarget"/> units
/// while another lane's commit is in flight keeps collecting until it has that many, that commit ends, or the gather
/// delay has passed, whichever comes first (PostgreSQL's own group commit, one level up: several silos on one database
/// each see a share of the load, and without it their lanes commit batches of one or two). A unit that arrives while no
/// commit is in flight never waits.
/// A lane whose commits return before they are durable (<see cref="WriteLane.SyncsAfterCommit"/>: SQLite with
/// <c>synchronous=NORMAL</c>) hands each committed batch to its sync loop, which makes durable everything committed so
/// far (one fsync for all the batches that ended before it began) and only then answers their units, while the lane
/// commits the next batch: the fsync no longer holds the lane.</summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private const int MaxAttempts = 5;
    private readonly Channel<IWriteJob> _jobs = Channel.CreateUnbounded<IWriteJob>(new UnboundedChannelOptions { SingleReader = false });
    private readonly SqlDialect _dialect;
    private readonly int _maxBatch;
    private readonly Task[] _lanes;
    private readonly int _capacity;
    private readonly string _databaseSystem;
    private readonly Action<long>? _eventsCommitted;
    private readonly TimeSpan _gatherDelay;
    private readonly SemaphoreSlim? _reading;
    private TaskCompletionSource _commitEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Exception? _syncFailure;
    private int _queued;
    private int _committing;

    /// <summary>The batch size past which a lane commits without gathering more: 8.</summary>
    public const int GatherTarget = 8;

    /// <param name="dialect">The database's dialect.</param>
    /// <param name="lanes">The connections that commit batches.</param>
    /// <param name="maxBatch">The most units in one transaction.</param>
    /// <param name="capacity">The most units waiting for a lane; past it <see cref="WriteAsync"/> refuses new work
    /// (<see cref="WriteQueueFullException"/>) instead of letting the queue, its memory and every caller's wait grow.</param>
    /// <param name="eventsCommitted">Called after a commit that stored events (<see cref="DbSession.Emit"/>), with the
    /// highest seq it gave one: the process's event feed reads them at once instead of at its next poll.</param>
    /// <param name="gatherDelay">The longest a lane holding a small batch waits for more units while another lane commits;
    /// zero (the default) never waits, and neither does a single lane (no other lane ever commits meanwhile): then the
    /// lanes read the queue as they come, with no turn-taking and no bookkeeping of commits in flight.</param>
    public GroupCommitWriter(SqlDialect dialect, IReadOnlyList<WriteLane> lanes, int maxBatch, int capacity = DatabaseOptions.DefaultWriteQueueCapacity,
        Action<long>? eventsCommitted = null, TimeSpan gatherDelay = default)
    {
        _gatherDelay = lanes.Count > 1 ? gatherDelay : TimeSpan.Zero;
        _reading = _gatherDelay > TimeSpan.Zero ? new SemaphoreSlim(1, 1) : null;
        _eventsCommitted = eventsCommitted;
        _dialect = dialect;
        _maxBatch = maxBatch;
        _capacity = capacity;
        _databaseSystem = dialect == SqlDialect.Postgres ? "postgresql" : "sqlite";
        Grains.Telemetry.OrleansFlowTelemetry.TrackWriteQueue(this, () => Queued);
        _lanes = [.. lanes.Select(lane => Task.Run(() => LaneLoopAsync(lane)))];
    }

    /// <summary>How many units wait for a lane.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Queues a unit of work; its task completes when the commit that made it durable did.</summary>
    /// <exception cref="WriteQueueFullException">The queue holds its capacity already.</exception>
    public Task<T> WriteAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _queued) > _capacity)
        {
            Interlocked.Decrement(ref _queued);
            throw new WriteQueueFullException(_capacity);
        }

        var job = new WriteJob<T>(work, cancellationToken, Grains.Telemetry.OrleansFlowTelemetry.StartCommit(_databaseSystem));
        if (_jobs.Writer.TryWrite(job))
        {
            return job.Completion.Task;
        }

        Interlocked.Decrement(ref _queued);
        throw new ObjectDisposedException(nameof(GroupCommitWriter), "The database is shut down.");
    }

    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        await Task.WhenAll(_lanes).ConfigureAwait(false);
        _reading?.Dispose();
        Grains.Telemetry.OrleansFlowTelemetry.UntrackWriteQueue(this);
    }

    private async Task LaneLoopAsync(WriteLane lane)
    {
        await using var owned = lane.ConfigureAwait(false);
        var committed = lane.SyncsAfterCommit
            ? Channel.CreateUnbounded<Committed>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true })
            : null;
        var syncing = committed is null ? Task.CompletedTask : Task.Run(() => SyncLoopAsync(lane, committed.Reader));
        try
        {
            await RunBatchesAsync(lane, committed?.Writer).ConfigureAwait(false);
        }
        finally
        {
            // The lane is disposed only after the last of its commits was made durable and answered.
            committed?.Writer.TryComplete();
            await syncing.ConfigureAwait(false);
        }
    }

    private async Task RunBatchesAsync(WriteLane lane, ChannelWriter<Committed>? committed)
    {
        var batch = new List<IWriteJob>(_maxBatch);
        while (await NextBatchAsync(batch).ConfigureAwait(false))
        {
            if (batch.Count == 0)
            {
                continue;
            }

            if (_syncFailure is { } failure)
            {
                foreach (var job in batch)
                {
                    job.Fail(failure);
                }

                continue;
            }

            var gathering = _reading is not null;
            if (gathering)
            {
                Interlocked.Increment(ref _committing);
            }

            try
            {
                if (batch.Count == 1)
                {
                    await RunAloneAsync(lane, batch[0], committed).ConfigureAwait(false);
                }
                else if (!await TryRunBatchAsync(lane, batch, committed).ConfigureAwait(false))
                {
                    if (lane.UsesSavepoints)
                    {
                        await RunWithSavepointsAsync(lane, batch, committed).ConfigureAwait(false);
                    }
                    else
                    {
                        foreach (var job in batch)
                        {
                            await RunAloneAsync(lane, job, committed).ConfigureAwait(false);
                        }
                    }
                }
            }
            finally
            {
                if (gathering)
                {
                    Interlocked.Decrement(ref _committing);
                    Interlocked.Exchange(ref _commitEnded, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                }
            }
        }
    }

    /// <summary>Fills <paramref name="batch"/> (cleared first) with the next units; false once the queue is closed and
    /// empty. When gathering, one lane at a time reads, and a small batch gathers while another lane commits.</summary>
    private async Task<bool> NextBatchAsync(List<IWriteJob> batch)
    {
        batch.Clear();
        if (_reading is null)
        {
            if (!await _jobs.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                return false;
            }

            Take(batch);
            return true;
        }

        await _reading.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!await _jobs.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                return false;
            }

            Take(batch);
            if (batch.Count is > 0 and < GatherTarget)
            {
                await GatherAsync(batch).ConfigureAwait(false);
            }

            return true;
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>Moves the waiting units (up to the batch size) into <paramref name="batch"/>, answering those whose caller
    /// gave up.</summary>
    private void Take(List<IWriteJob> batch)
    {
        while (batch.Count < _maxBatch && _jobs.Reader.TryRead(out var job))
        {
            Interlocked.Decrement(ref _queued);
            if (!job.CancelIfRequested())
            {
                batch.Add(job);
            }
        }
    }

    /// <summary>While another lane's commit is in flight, takes the units that arrive until the batch holds
    /// <see cref="GatherTarget"/>, a commit ends, or the gather delay has passed. Returns at once when no commit is in
    /// flight.</summary>
    private async Task GatherAsync(List<IWriteJob> batch)
    {
        var commitEnded = Volatile.Read(ref _commitEnded).Task;
        if (Volatile.Read(ref _committing) == 0)
        {
            return;
        }

        var expired = Task.Delay(_gatherDelay);
        while (batch.Count < GatherTarget)
        {
            var more = _jobs.Reader.WaitToReadAsync().AsTask();
            if (await Task.WhenAny(more, commitEnded, expired).ConfigureAwait(false) != more || !await more.ConfigureAwait(false))
            {
                return;
            }

            Take(batch);
        }
    }

    private async Task RunWithSavepointsAsync(WriteLane lane, List<IWriteJob> batch, ChannelWriter<Committed>? committed)
    {
        for (var attempt = 1; ; attempt++)
        {
            var done = new List<IWriteJob>(batch.Count);
            var events = 0L;
            try
            {
                await using var transaction = await lane.BeginAsync(CancellationToken.None).ConfigureAwait(false);
                var session = new DbSession(_dialect, transaction.Connection!, transaction, lane.Statements);
                for (var i = 0; i < batch.Count; i++)
                {
                    var savepoint = "u" + i.ToString(CultureInfo.InvariantCulture);
                    var emitted = session.EmittedCount;
                    await transaction.SaveAsync(savepoint).ConfigureAwait(false);
                    try
                    {
                        await batch[i].RunAsync(session).ConfigureAwait(false);
                        await transaction.ReleaseAsync(savepoint).ConfigureAwait(false);
                        done.Add(batch[i]);
                    }
                    catch (Exception ex) when (!lane.IsTransient(ex))
                    {
                        await transaction.RollbackAsync(savepoint).ConfigureAwait(false);
                        await transaction.ReleaseAsync(savepoint).ConfigureAwait(false);
                        session.ForgetEmittedAfter(emitted);
                        batch[i].Fail(ex);
                    }
                }

                events = await session.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                await transaction.CommitAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                if (attempt < MaxAttempts && lane.IsTransient(ex))
                {
                    batch = [.. batch.Where(j => !j.IsFinished)];
                    continue;
                }

                foreach (var job in batch)
                {
                    job.Fail(ex);
                }

                return;
            }

            Answer(done, events, committed);
            return;
        }
    }

    /// <summary>Runs the batch in one transaction; false (after rolling back) when any unit failed.</summary>
    private async Task<bool> TryRunBatchAsync(WriteLane lane, List<IWriteJob> batch, ChannelWriter<Committed>? committed)
    {
        long events;
        try
        {
            await using var transaction = await lane.BeginAsync(CancellationToken.None).ConfigureAwait(false);
            var session = new DbSession(_dialect, transaction.Connection!, transaction, lane.Statements, defersWrites: true);
            foreach (var job in batch)
            {
                await job.RunAsync(session).ConfigureAwait(false);
            }

            events = await session.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Disposing the transaction rolled it back; each unit runs again in its own transaction.
            return false;
        }

        Answer(batch, events, committed);
        return true;
    }

    private async Task RunAloneAsync(WriteLane lane, IWriteJob job, ChannelWriter<Committed>? committed)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var transaction = await lane.BeginAsync(CancellationToken.None).ConfigureAwait(false);
                var session = new DbSession(_dialect, transaction.Connection!, transaction, lane.Statements);
                await job.RunAsync(session).ConfigureAwait(false);
                var events = await session.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                await transaction.CommitAsync().ConfigureAwait(false);
                Answer([job], events, committed);
                return;
            }
            catch (Exception ex)
            {
                if (attempt < MaxAttempts && lane.IsTransient(ex))
                {
                    continue;
                }

                job.Fail(ex);
                return;
            }
        }
    }

    /// <summary>Answers the units of a commit that ended: at once when the commit was durable when it returned, otherwise
    /// through the lane's sync loop (the list is copied: the lane reuses its batch).</summary>
    private void Answer(List<IWriteJob> jobs, long lastSeq, ChannelWriter<Committed>? committed)
    {
        if (committed is null)
        {
            NotifyEvents(lastSeq);
            foreach (var job in jobs)
            {
                job.Complete(jobs.Count);
            }
        }
        else if (!committed.TryWrite(new Committed([.. jobs], lastSeq)))
        {
            throw new InvalidOperationException("The lane's sync loop stopped before the lane.");
        }
    }

    /// <summary>Waits for committed batches, makes durable everything committed so far in one sync, then answers every
    /// batch that was waiting before the sync began. When a sync fails, nothing committed since the last good sync is
    /// known to be durable (and after a failed fsync a later one may succeed without writing what was lost): those units
    /// and every later write fail, and the process has to restart.</summary>
    private async Task SyncLoopAsync(WriteLane lane, ChannelReader<Committed> committed)
    {
        var waiting = new List<Committed>();
        while (await committed.WaitToReadAsync().ConfigureAwait(false))
        {
            while (committed.TryRead(out var batch))
            {
                waiting.Add(batch);
            }

            var failure = _syncFailure;
            if (failure is null)
            {
                try
                {
                    await lane.SyncAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    failure = _syncFailure = new IOException(
                        "Committed writes could not be made durable, so this process accepts no more writes: restart it. " + ex.Message, ex);
                }
            }

            var lastSeq = 0L;
            foreach (var batch in waiting)
            {
                lastSeq = Math.Max(lastSeq, batch.LastSeq);
                foreach (var job in batch.Jobs)
                {
                    if (failure is null)
                    {
                        job.Complete(batch.Jobs.Length);
                    }
                    else
                    {
                        job.Fail(failure);
                    }
                }
            }

            if (failure is null)
            {
                NotifyEvents(lastSeq);
            }

            waiting.Clear();
        }
    }

    private void NotifyEvents(long lastSeq)
    {
        if (lastSeq > 0)
        {
            _eventsCommitted?.Invoke(lastSeq);
        }
    }

    /// <summary>A batch committed but not yet durable, and the highest event seq it stored.</summary>
    private readonly record struct Committed(IWriteJob[] Jobs, long LastSeq);

    private interface IWriteJob
    {
        bool IsFinished { get; }

        bool CancelIfRequested();

        Task RunAsync(DbSession session);

        /// <summary>Answers the caller: its work committed in a transaction of <paramref name="batchSize"/> units.</summary>
        void Complete(int batchSize);

        void Fail(Exception exception);
    }

    private sealed class WriteJob<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken, Activity? span) : IWriteJob
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IsFinished => Completion.Task.IsCompleted;

        public bool CancelIfRequested()
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            span?.SetStatus(ActivityStatusCode.Error, "cancelled before it was written").Stop();
            Completion.TrySetCanceled(cancellationToken);
            return true;
        }

        public async Task RunAsync(DbSession session) => _result = await work(session).ConfigureAwait(false);

        public void Complete(int batchSize)
        {
            span?.SetTag("orleansflow.db.batch_size", batchSize).Stop();
            Completion.TrySetResult(_result!);
        }

        public void Fail(Exception exception)
        {
            span?.SetStatus(ActivityStatusCode.Error, exception.Message).Stop();
            Completion.TrySetException(exception);
        }
    }
}
