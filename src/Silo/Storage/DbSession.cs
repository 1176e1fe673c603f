using System.Data.Common;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Hosting;

namespace OrleansFlow.Silo.Storage;

/// <summary>A connection (and, for writes, its open transaction) handed to one unit of database work.</summary>
/// <param name="dialect">The database's dialect.</param>
/// <param name="connection">The open connection.</param>
/// <param name="transaction">The write transaction, or null on a read connection.</param>
/// <param name="statements">The prepared statements of a long-lived connection (the SQLite writer), reused across units;
/// null where connections are pooled and short-lived.</param>
/// <param name="defersWrites">PostgreSQL, a group commit of several units: statements run with
/// <see cref="SqlCommand.ExecuteExpectingAsync"/> are queued and sent together (<see cref="DeferredWrites"/>).</param>
internal sealed class DbSession(SqlDialect dialect, DbConnection connection, DbTransaction? transaction, StatementCache? statements = null,
    bool defersWrites = false)
    : IGrainTransaction
{
    private readonly DeferredWrites? _deferred = defersWrites && dialect == SqlDialect.Postgres && transaction is Npgsql.NpgsqlTransaction npgsql
        ? new DeferredWrites((Npgsql.NpgsqlConnection)connection, npgsql)
        : null;

    /// <summary>The session behind a grain store's transaction (every <see cref="IGrainTransaction"/> the silo hands out is one).</summary>
    public static DbSession Of(IGrainTransaction transaction) =>
        transaction as DbSession ?? throw new ArgumentException("The transaction was not opened by this silo's database.", nameof(transaction));

    public SqlDialect Dialect { get; } = dialect;

    public DbConnection Connection { get; } = connection;

    public DbTransaction? Transaction { get; } = transaction;

    public bool IsPostgres => Dialect == SqlDialect.Postgres;

    private List<Event>? _events;

    /// <summary>How many events this transaction's units emitted so far.</summary>
    public int EmittedCount => _events?.Count ?? 0;

    /// <summary>Records an event of a change made in this transaction: it is inserted just before the commit (one
    /// multi-row INSERT for every unit of a group commit), so it is stored if and only if the change is.</summary>
    /// <exception cref="InvalidOperationException">The session is a read connection.</exception>
    public void Emit(Event emitted)
    {
        if (Transaction is null)
        {
            throw new InvalidOperationException("Events are emitted only inside a write transaction.");
        }

        (_events ??= []).Add(emitted);
    }

    /// <summary>Forgets the events emitted after the first <paramref name="count"/> (a unit that rolled back to its
    /// savepoint).</summary>
    public void ForgetEmittedAfter(int count)
    {
        if (_events is not null && _events.Count > count)
        {
            _events.RemoveRange(count, _events.Count - count);
        }
    }

    /// <summary>True when statements may be queued (<see cref="SqlCommand.ExecuteExpectingAsync"/>).</summary>
    public bool DefersWrites => _deferred is not null;

    /// <summary>Queues <paramref name="command"/>'s statements, to run with the others before the next statement that
    /// answers or the commit (see <see cref="DeferredWrites"/>).</summary>
    internal void Defer(Npgsql.NpgsqlCommand command, int expectedRows) =>
        (_deferred ?? throw new InvalidOperationException("This session runs every statement at once.")).Queue(command, expectedRows);

    /// <summary>True when statements wait to be sent (or a send failed, and every later statement must fail).</summary>
    internal bool HasDeferred => _deferred is { MustFlush: true };

    /// <summary>Sends the queued statements, if any: called before any other statement runs, so that statements still
    /// reach the database in the order the units issued them.</summary>
    internal Task FlushDeferredAsync(CancellationToken cancellationToken) =>
        _deferred is { MustFlush: true } deferred ? deferred.FlushAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Runs <paramref name="command"/> and reads its rows with <paramref name="read"/>. When statements are queued,
    /// a command of one statement goes with them as the last, in the same round trip; any other is sent after them.</summary>
    internal async Task<T> ReadAsync<T>(DbCommand command, Func<DbDataReader, Task<T>> read, CancellationToken cancellationToken)
    {
        if (_deferred is { MustFlush: true } deferred)
        {
            if (DeferredWrites.CanRideAlong((Npgsql.NpgsqlCommand)command))
            {
                return await deferred.ReadWithAsync((Npgsql.NpgsqlCommand)command, read, cancellationToken).ConfigureAwait(false);
            }

            await deferred.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await read(reader).ConfigureAwait(false);
    }

    /// <summary>Sends the queued statements and inserts the events emitted in this transaction (on PostgreSQL in one round
    /// trip: the events' statement goes last with the queued ones); call it just before the commit.</summary>
    /// <returns>The highest seq given to one of the events; 0 when none was emitted or all were stored already.</returns>
    public async Task<long> FlushAsync(CancellationToken cancellationToken)
    {
        if (_events is { Count: > 0 } events)
        {
            return (await Silo.Events.EventRows.InsertAsync(this, events, cancellationToken).ConfigureAwait(false)).LastSeq;
        }

        await FlushDeferredAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>A command for the named statement of the catalog.</summary>
    public SqlCommand Named(string name) => Text(SqlCatalog.Get(Dialect, name));

    /// <summary>A command for SQL text built at run time (filters); values always go in parameters.</summary>
    public SqlCommand Text(string sql)
    {
        if (statements is not null)
        {
            var cached = statements.Rent(Connection, sql, keepParameters: Dialect == SqlDialect.Sqlite);
            cached.Transaction = Transaction;
            return new SqlCommand(cached, Dialect, statements.Return, this);
        }

        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = Transaction;
        return new SqlCommand(command, Dialect, session: this);
    }
}
