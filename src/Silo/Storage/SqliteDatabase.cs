using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;

namespace OrleansFlow.Silo.Storage;

/// <summary>SQLite in WAL mode; a write is answered only once the log holding it is synced to disk, so an answered
/// transition survives a power cut (by default the fsync runs beside the next commit: <see cref="SqliteLane"/>). All writes of
/// this process go through one writer connection with group commit (<see cref="GroupCommitWriter"/>), which writes each
/// commit's log frames with one system call (<see cref="SqliteLogWriteVfs"/>, unless turned off); a batch in which
/// a unit failed runs again with each unit in its own savepoint. Reads use pooled connections, which WAL lets run
/// beside the writer. Other processes on the same file (an SDK running flows ephemerally beside a server) wait on the
/// busy timeout instead of failing, and a write that still meets a busy database is retried.</summary>
internal sealed class SqliteDatabase : Database
{
    private const int MaxBatch = 256;
    private readonly string _connectionString;
    private readonly GroupCommitWriter _writer;

    public SqliteDatabase(string path, int writeQueueCapacity = DatabaseOptions.DefaultWriteQueueCapacity, bool overlappedSync = true,
        bool coalescedLogWrites = true)
    {
        // The database holds run parameters, results and sealed secrets: only its owner may read it.
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            PrivateFiles.CreateFolder(folder);
        }

        PrivateFiles.Touch(path);

        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();

        // The writer alone writes the log; it does so through the VFS that writes a commit's frames with one call.
        var writerConnectionString = coalescedLogWrites && SqliteLogWriteVfs.TryRegister()
            ? new SqliteConnectionStringBuilder(_connectionString) { Vfs = SqliteLogWriteVfs.Name }.ToString()
            : _connectionString;
        _writer = new GroupCommitWriter(SqlDialect.Sqlite,
            [new SqliteLane(writerConnectionString, _connectionString, System.IO.Path.GetFullPath(path), overlappedSync)], MaxBatch, writeQueueCapacity,
            OnEventsCommitted);
    }

    public string Path { get; }

    public override SqlDialect Dialect => SqlDialect.Sqlite;

    public override string Description => $"sqlite:///{Path}";

    internal override Task<T> WriteAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken) =>
        _writer.WriteAsync(work, cancellationToken);

    internal override async Task<T> ReadAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await work(new DbSession(SqlDialect.Sqlite, connection, null)).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        SqliteConnection.ClearAllPools();
    }

    /// <summary>The writer connection. In WAL mode with overlapped sync it commits with <c>synchronous=NORMAL</c> (the
    /// commit writes the log and returns; SQLite still syncs around its checkpoints, so the file stays consistent) and
    /// <see cref="SyncAsync"/> fsyncs the log. The log is copied into the database file by checkpoints on a second
    /// connection, started every <see cref="SyncsPerCheckpoint"/> syncs, so that the writer neither copies pages nor waits
    /// for the database file's fsync; the writer checkpoints itself only when the log reaches
    /// <see cref="BackstopCheckpointPages"/> (a background checkpoint copies what was committed when it began, and the
    /// log starts over only after a checkpoint that caught up). Otherwise (overlapped sync turned off, or a file that
    /// could not enter WAL mode) every commit syncs itself (<c>synchronous=FULL</c>), SQLite checkpoints after the commit
    /// that fills 1,000 pages, and <see cref="SyncAsync"/> has nothing left to do.</summary>
    private sealed class SqliteLane(string connectionString, string checkpointConnectionString, string path, bool overlappedSync) : WriteLane
    {
        /// <summary>Syncs between two background checkpoints: about 3,000 pages at full load (about 90 pages a commit, about
        /// one commit a sync). Every eighth measured the same throughput and wrote 11% more bytes per transition.</summary>
        private const int SyncsPerCheckpoint = 32;

        /// <summary>The log size (pages) at which the writer checkpoints after its commit.</summary>
        private const int BackstopCheckpointPages = 4000;

        private readonly StatementCache _statements = new();
        private SqliteConnection? _connection;
        private bool _syncsLog;
        private SafeFileHandle? _log;
        private int _syncsSinceCheckpoint;
        private Task _checkpoint = Task.CompletedTask;
        private SqliteConnection? _checkpointer;

        public override bool UsesSavepoints => true;

        public override bool SyncsAfterCommit => overlappedSync;

        public override StatementCache Statements => _statements;

        public override Task<DbTransaction> BeginAsync(CancellationToken cancellationToken)
        {
            if (_connection is null)
            {
                _connection = new SqliteConnection(connectionString);
                _connection.Open();
                using var mode = _connection.CreateCommand();
                mode.CommandText = "PRAGMA journal_mode=WAL;";
                var wal = string.Equals(mode.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase);
                var syncsLog = overlappedSync && wal;
                using var pragmas = _connection.CreateCommand();
                pragmas.CommandText = (syncsLog
                        ? "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=" + BackstopCheckpointPages.ToString(CultureInfo.InvariantCulture) + ";"
                        : "PRAGMA synchronous=FULL;")
                    + " PRAGMA busy_timeout=60000; PRAGMA temp_store=MEMORY;";
                pragmas.ExecuteNonQuery();
                Volatile.Write(ref _syncsLog, syncsLog);
            }

            return Task.FromResult<DbTransaction>(_connection.BeginTransaction(deferred: false));
        }

        /// <summary>fsyncs the write-ahead log, and starts a background checkpoint every <see cref="SyncsPerCheckpoint"/>
        /// syncs. The log exists from the first commit in WAL mode until the last connection to the file closes, and this
        /// lane's connection stays open until after the last sync: the handle, opened once, stays on the file SQLite
        /// appends to (a checkpoint rewinds or truncates the log; it never replaces it).</summary>
        public override ValueTask SyncAsync()
        {
            if (!Volatile.Read(ref _syncsLog))
            {
                return ValueTask.CompletedTask;
            }

            _log ??= File.OpenHandle(LogPath(), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.FlushToDisk(_log);
            if (++_syncsSinceCheckpoint >= SyncsPerCheckpoint && _checkpoint.IsCompleted)
            {
                _syncsSinceCheckpoint = 0;
                _checkpoint = Task.Run(Checkpoint);
            }

            return ValueTask.CompletedTask;
        }

        /// <summary>SQLite keeps the log beside the file a symbolic link points to, not beside the link.</summary>
        private string LogPath() =>
            (new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path) + "-wal";

        /// <summary>A passive checkpoint: copies what the log holds into the database file without waiting for the writer
        /// or for readers. One that fails (another process checkpointing, a busy file) is left to the next one, and to the
        /// writer's own checkpoint at <see cref="BackstopCheckpointPages"/>; it never fails the writer's disposal.</summary>
        private void Checkpoint()
        {
            try
            {
                if (_checkpointer is null)
                {
                    _checkpointer = new SqliteConnection(checkpointConnectionString);
                    _checkpointer.Open();
                }

                using var command = _checkpointer.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                command.ExecuteNonQuery();
            }
            catch (Exception)
            {
                // Nothing is lost with a checkpoint: the log still holds every commit. Open afresh next time.
                _checkpointer?.Dispose();
                _checkpointer = null;
            }
        }

        // SQLITE_BUSY (5) and SQLITE_LOCKED (6): another process held the file longer than the busy timeout.
        public override bool IsTransient(Exception exception) =>
            exception is SqliteException { SqliteErrorCode: 5 or 6 } or Grains.Orchestration.ConcurrencyConflictException;

        /// <summary>Called once the writer's last sync has run: waits for a background checkpoint in flight, then closes.</summary>
        public override async ValueTask DisposeAsync()
        {
            await _checkpoint.ConfigureAwait(false);
            _checkpointer?.Dispose();
            _statements.Clear();
            _connection?.Dispose();
            _log?.Dispose();
        }
    }
}
