using System.Data.Common;

namespace OrleansFlow.Silo.Storage;

/// <summary>Commands kept between units of work on one long-lived connection, by SQL text. Microsoft.Data.Sqlite
/// prepares a command's statements on its first execution and keeps them while its text and connection stay the same,
/// so a command used again skips parsing and planning: on the hot path that was several percent of the server's CPU.
/// Used by one writer lane at a time (the lane runs one unit after another), so it takes no lock.</summary>
internal sealed class StatementCache
{
    private const int Capacity = 256;
    private readonly Dictionary<string, Stack<DbCommand>> _idle = new(StringComparer.Ordinal);
    private DbConnection? _connection;
    private int _count;

    /// <summary>A command for <paramref name="sql"/> on <paramref name="connection"/>: a kept one or a new one. A kept one
    /// comes with the parameters of its last use when <paramref name="keepParameters"/> is true (the caller binds new
    /// values over them, see <see cref="SqlCommand"/>), without any otherwise. Hand it back with <see cref="Return"/>.</summary>
    public DbCommand Rent(DbConnection connection, string sql, bool keepParameters = false)
    {
        if (!ReferenceEquals(connection, _connection))
        {
            // The lane reopened its connection: statements prepared on the old one are of no use.
            Clear();
            _connection = connection;
        }

        if (_idle.TryGetValue(sql, out var stack) && stack.TryPop(out var command))
        {
            _count--;
            if (!keepParameters)
            {
                command.Parameters.Clear();
            }

            return command;
        }

        command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>Keeps <paramref name="command"/> for the next use of its SQL, or disposes it when the cache is full or
    /// the command belongs to a connection the cache no longer serves.</summary>
    public void Return(DbCommand command)
    {
        if (_count >= Capacity || !ReferenceEquals(command.Connection, _connection))
        {
            command.Dispose();
            return;
        }

        command.Transaction = null;
        if (!_idle.TryGetValue(command.CommandText, out var stack))
        {
            stack = new Stack<DbCommand>(1);
            _idle[command.CommandText] = stack;
        }

        stack.Push(command);
        _count++;
    }

    /// <summary>Disposes every kept command.</summary>
    public void Clear()
    {
        foreach (var command in _idle.Values.SelectMany(stack => stack))
        {
            command.Dispose();
        }

        _idle.Clear();
        _count = 0;
    }
}
