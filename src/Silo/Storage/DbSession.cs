using System.Data.Common;

namespace OrleansFlow.Silo.Storage;

/// <summary>A connection (and, for writes, its open transaction) handed to one unit of database work.</summary>
internal sealed class DbSession(SqlDialect dialect, DbConnection connection, DbTransaction? transaction)
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
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = Transaction;
        return new SqlCommand(command, Dialect);
    }
}
