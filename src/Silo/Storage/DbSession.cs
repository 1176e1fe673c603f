using System.Data.Common;

namespace OrleansFlow.Silo.Storage;

/// <summary>A connection (and, for writes, its open transaction) handed to one unit of database work.</summary>
/// <param name="dialect">The database's dialect.</param>
/// <param name="connection">The open connection.</param>
/// <param name="transaction">The write transaction, or null on a read connection.</param>
/// <param name="statements">The prepared statements of a long-lived connection (the SQLite writer), reused across units;
/// null where connections are pooled and short-lived.</param>
internal sealed class DbSession(SqlDialect dialect, DbConnection connection, DbTransaction? transaction, StatementCache? statements = null)
{
    public SqlDialect Dialect { get; } = dialect;

    public DbConnection Connection { get; } = connection;

    public DbTransaction? Transaction { get; } = transaction;

    public bool IsPostgres => Dialect == SqlDialect.Postgres;

    /// <summary>A command for the named statement of the catalog.</summary>
    public SqlCommand Named(string name) => Text(SqlCatalog.Get(Dialect, name));

    /// <summary>A command for SQL text built at run time (filters); values always go in parameters.</summary>
    public SqlCommand Text(string sql)
    {
        if (statements is not null)
        {
            var cached = statements.Rent(Connection, sql);
            cached.Transaction = Transaction;
            return new SqlCommand(cached, Dialect, statements.Return);
        }

        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = Transaction;
        return new SqlCommand(command, Dialect);
    }
}
