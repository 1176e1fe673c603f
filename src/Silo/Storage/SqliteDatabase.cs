using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace OrleansFlow.Silo.Storage;

/// <summary>SQLite in WAL mode with <c>synchronous=FULL</c> (a committed transition survives a power cut). All writes of
/// this process go through one writer connection with group commit (<see cref="GroupCommitWriter"/>); a batch in which
/// a unit failed runs again with each unit in its own savepoint. Reads use pooled connections, which WAL lets run
/// beside the writer. Other processes on the same file (an SDK running flows ephemerally beside a server) wait on the
/// busy timeout instead of failing, and a write that still meets a busy database is retried.</summary>
internal sealed class SqliteDatabase : Database
{
    private const int MaxBatch = 256;
    private readonly string _connectionString;
    private readonly GroupCommitWriter _writer;

    public SqliteDatabase(string path, int writeQueueCapacity = DatabaseOptions.DefaultWriteQueueCapacity)
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
        _writer = new GroupCommitWriter(SqlDialect.Sqlite, [new SqliteLane(_connectionString)], MaxBatch, writeQueueCapacity, OnEventsCommitted);
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

    private sealed class SqliteLane(string connectionString) : WriteLane
    {
        private readonly StatementCache _statements = new();
        private SqliteConnection? _connection;

        public override bool UsesSavepoints => true;

        public override StatementCache Statements => _statements;

        public override Task<DbTransaction> BeginAsync(CancellationToken cancellationToken)
        {
            if (_connection is null)
            {
                _connection = new SqliteConnection(connectionString);
                _connection.Open();
                using var pragmas = _connection.CreateCommand();
                pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=60000; PRAGMA temp_store=MEMORY;";
                pragmas.ExecuteNonQuery();
            }

            return Task.FromResult<DbTransaction>(_connection.BeginTransaction(deferred: false));
        }

        // SQLITE_BUSY (5) and SQLITE_LOCKED (6): another process held the file longer than the busy timeout.
        public override bool IsTransient(Exception exception) =>
            exception is SqliteException { SqliteErrorCode: 5 or 6 } or Grains.Orchestration.ConcurrencyConflictException;

        public override ValueTask DisposeAsync()
        {
            _statements.Clear();
            _connection?.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
