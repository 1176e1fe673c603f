using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace OrleansFlow.Silo.Storage;

/// <summary>SQLite in WAL mode. All writes of this process go through one writer connection that commits them in
/// groups (group commit): a batch of queued units of work runs in one <c>BEGIN IMMEDIATE</c> transaction, each unit
/// inside its own savepoint so that one failing unit rolls back alone. Reads use pooled connections, which WAL lets
/// run beside the writer. Other processes on the same file wait on the busy timeout instead of failing.</summary>
internal sealed class SqliteDatabase : Database
{
    private const int MaxBatch = 128;
    private readonly string _connectionString;
    private readonly Channel<IWriteJob> _jobs = Channel.CreateUnbounded<IWriteJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _writer;
    private readonly Task _writerLoop;

    public SqliteDatabase(string path)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();

        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Execute(_writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=60000; PRAGMA temp_store=MEMORY;");
        _writerLoop = Task.Run(WriterLoopAsync);
    }

    public string Path { get; }

    public override SqlDialect Dialect => SqlDialect.Sqlite;

    public override string Description => $"sqlite:///{Path}";

    internal override Task<T> WriteAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken)
    {
        var job = new WriteJob<T>(work, cancellationToken);
        if (!_jobs.Writer.TryWrite(job))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase), "The database is shut down.");
        }

        return job.Completion.Task;
    }

    internal override async Task<T> ReadAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await work(new DbSession(SqlDialect.Sqlite, connection, null)).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private async Task WriterLoopAsync()
    {
        var batch = new List<IWriteJob>(MaxBatch);
        while (await _jobs.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _jobs.Reader.TryRead(out var job))
            {
                if (!job.IsCancelled())
                {
                    batch.Add(job);
                }
            }

            if (batch.Count > 0)
            {
                await RunBatchAsync(batch).ConfigureAwait(false);
            }
        }
    }

    private async Task RunBatchAsync(List<IWriteJob> batch)
    {
        SqliteTransaction transaction;
        try
        {
            transaction = _writer.BeginTransaction(deferred: false);
        }
        catch (Exception ex)
        {
            foreach (var job in batch)
            {
                job.Fail(ex);
            }

            return;
        }

        var done = new List<IWriteJob>(batch.Count);
        using (transaction)
        {
            var session = new DbSession(SqlDialect.Sqlite, _writer, transaction);
            for (var i = 0; i < batch.Count; i++)
            {
                var job = batch[i];
                var savepoint = "j" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                transaction.Save(savepoint);
                try
                {
                    await job.RunAsync(session).ConfigureAwait(false);
                    transaction.Release(savepoint);
                    done.Add(job);
                }
                catch (Exception ex)
                {
                    transaction.Rollback(savepoint);
                    transaction.Release(savepoint);
                    job.Fail(ex);
                }
            }

            try
            {
                transaction.Commit();
            }
            catch (Exception ex)
            {
                foreach (var job in done)
                {
                    job.Fail(ex);
                }

                return;
            }
        }

        foreach (var job in done)
        {
            job.Complete();
        }
    }

    private interface IWriteJob
    {
        bool IsCancelled();

        Task RunAsync(DbSession session);

        void Complete();

        void Fail(Exception exception);
    }

    private sealed class WriteJob<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken) : IWriteJob
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IsCancelled()
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            Completion.TrySetCanceled(cancellationToken);
            return true;
        }

        public async Task RunAsync(DbSession session) => _result = await work(session).ConfigureAwait(false);

        public void Complete() => Completion.TrySetResult(_result!);

        public void Fail(Exception exception) => Completion.TrySetException(exception);
    }
}
