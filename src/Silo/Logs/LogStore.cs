using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Logs;

/// <summary>Rows of <c>logs</c>. Batches are written with multi-row INSERTs, chunked to stay well under the parameter
/// limits (SQLite 32766, PostgreSQL 65535).</summary>
internal static class LogStore
{
    /// <summary>Rows per INSERT statement (7 parameters each, plus one shared time) on PostgreSQL, where each statement
    /// is a network round trip.</summary>
    public const int PostgresRowsPerStatement = 1000;

    /// <summary>Rows per INSERT statement on SQLite, which runs in-process (no round trips) but binds parameters by
    /// name with a linear search, so a statement with thousands of parameters binds in quadratic time: measured on
    /// 1000-line batches, 300 rows per statement took ~300 ms, 100 rows ~100 ms, 1 to 25 rows ~20-40 ms.</summary>
    public const int SqliteRowsPerStatement = 20;

    private static readonly ConcurrentDictionary<SqlDialect, string> Statements = new();

    /// <summary>Inserts <paramref name="logs"/>, all stored at <paramref name="now"/>, in as few statements as the
    /// chunk size allows.</summary>
    public static async Task InsertAsync(DbSession session, IReadOnlyList<RunLog> logs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var chunk = session.IsPostgres ? PostgresRowsPerStatement : SqliteRowsPerStatement;
        for (var start = 0; start < logs.Count; start += chunk)
        {
            var count = Math.Min(chunk, logs.Count - start);
            // Full chunks reuse one cached statement text; the last, shorter chunk is built for its size.
            var sql = count == chunk ? Statements.GetOrAdd(session.Dialect, static (dialect, size) => Build(dialect, size), chunk) : Build(session.Dialect, count);
            await using var command = session.Text(sql).Add("now", now);
            for (var i = 0; i < count; i++)
            {
                var log = logs[start + i];
                var n = i.ToString(CultureInfo.InvariantCulture);
                command.Add("i" + n, log.Id).Add("n" + n, log.Name).Add("l" + n, log.Level).Add("m" + n, log.Message)
                    .Add("t" + n, log.Timestamp).Add("f" + n, log.FlowRunId).Add("r" + n, log.TaskRunId);
            }

            await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static RunLog Map(DbDataReader reader) => new()
    {
        Id = Rows.Guid(reader, 0),
        Name = reader.GetString(1),
        Level = Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
        Message = reader.GetString(3),
        Timestamp = Rows.Time(reader, 4),
        FlowRunId = Rows.Guid(reader, 5),
        TaskRunId = Rows.NullableGuid(reader, 6),
        Created = Rows.Time(reader, 7),
        Updated = Rows.Time(reader, 8),
    };

    private static string Build(SqlDialect dialect, int rows)
    {
        var sql = new StringBuilder(SqlCatalog.Get(dialect, "logs.insert").TrimEnd()).Append('\n');
        for (var i = 0; i < rows; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ",\n").Append(CultureInfo.InvariantCulture,
                $"(@i{n}, @n{n}, @l{n}, @m{n}, @t{n}, @f{n}, @r{n}, @now, @now)");
        }

        return sql.ToString();
    }
}
