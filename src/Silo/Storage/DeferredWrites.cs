using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.ExceptionServices;
using Npgsql;

namespace OrleansFlow.Silo.Storage;

/// <summary>PostgreSQL: the statements the units of one group commit queued with <see cref="SqlCommand.ExecuteExpectingAsync"/>,
/// sent together as one <see cref="NpgsqlBatch"/> (one round trip) before the next statement that has to answer, and
/// before the events and the commit. Each queued statement is checked against the number of rows its unit expected; a
/// statement that fails or affects another number makes the flush throw, the group commit rolls back, and every unit runs
/// again alone, where nothing is queued and each statement answers as it runs.</summary>
internal sealed class DeferredWrites(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    private static readonly ConcurrentDictionary<string, SqlPart[]> Parts = new(StringComparer.Ordinal);
    private readonly List<(int First, int Count, int Expected, string Text)> _queued = [];
    private NpgsqlBatch? _batch;
    private ExceptionDispatchInfo? _failure;

    /// <summary>The expected rows of a statement that answers (<see cref="ReadWithAsync"/>): not checked.</summary>
    private const int Answering = -1;

    /// <summary>True when a flush has work: statements wait to be sent, or a flush failed (and must fail again).</summary>
    public bool MustFlush => _batch is not null || _failure is not null;

    /// <summary>Takes the text and parameters of <paramref name="command"/> (left empty) into the batch: one batch command
    /// per statement of its text (a batch command holds one statement), each with the parameters it names.</summary>
    public void Queue(NpgsqlCommand command, int expectedRows)
    {
        var batch = _batch ??= new NpgsqlBatch(connection, transaction);
        var parameters = new NpgsqlParameter[command.Parameters.Count];
        command.Parameters.CopyTo(parameters, 0);
        command.Parameters.Clear();
        var taken = new bool[parameters.Length];
        var parts = Parts.GetOrAdd(command.CommandText, SqlPart.Split);
        var first = batch.BatchCommands.Count;
        foreach (var part in parts)
        {
            var batchCommand = new NpgsqlBatchCommand(part.Sql);
            for (var i = 0; i < parameters.Length; i++)
            {
                if (part.Names.Contains(parameters[i].ParameterName))
                {
                    batchCommand.Parameters.Add(taken[i] ? parameters[i].Clone() : parameters[i]);
                    taken[i] = true;
                }
            }

            batch.BatchCommands.Add(batchCommand);
        }

        _queued.Add((first, parts.Length, expectedRows, command.CommandText));
    }

    /// <summary>Sends the queued statements in one round trip and checks each against the rows its unit expected. A
    /// flush that failed fails every later one too, so that a unit that caught the failure (it surfaced at one of its own
    /// statements) cannot let the batch commit: PostgreSQL would end the aborted transaction with a rollback that Npgsql
    /// does not report.</summary>
    /// <exception cref="DeferredWriteMismatchException">A statement affected another number of rows than expected.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        _failure?.Throw();
        if (_batch is { } batch)
        {
            await RunAsync(batch, async b => await b.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }
    }

    /// <summary>True when <paramref name="command"/> can go as the last statement of the queued ones (<see cref="ReadWithAsync"/>):
    /// its text is one statement.</summary>
    public static bool CanRideAlong(NpgsqlCommand command) => Parts.GetOrAdd(command.CommandText, SqlPart.Split).Length == 1;

    /// <summary>Sends the queued statements with <paramref name="command"/> last, in the same round trip, and reads its
    /// rows with <paramref name="read"/>; then checks the queued statements as <see cref="FlushAsync"/> does (the answer
    /// read is dropped if one of them failed its check).</summary>
    public async Task<T> ReadWithAsync<T>(NpgsqlCommand command, Func<DbDataReader, Task<T>> read, CancellationToken cancellationToken)
    {
        _failure?.Throw();
        Queue(command, Answering);
        return await RunAsync(_batch!, async batch =>
        {
            // The queued writes return no rows: the reader starts at the rows of the last statement.
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await read(reader).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private async Task<T> RunAsync<T>(NpgsqlBatch batch, Func<NpgsqlBatch, Task<T>> execute)
    {
        _batch = null;
        try
        {
            await using (batch.ConfigureAwait(false))
            {
                var result = await execute(batch).ConfigureAwait(false);
                foreach (var (first, count, expected, text) in _queued)
                {
                    var affected = 0;
                    for (var i = first; i < first + count; i++)
                    {
                        affected += batch.BatchCommands[i].RecordsAffected;
                    }

                    if (expected != Answering && affected != expected)
                    {
                        throw new DeferredWriteMismatchException(
                            $"A queued statement affected {affected} rows where its unit expected {expected}: {text}");
                    }
                }

                return result;
            }
        }
        catch (Exception ex)
        {
            _failure = ExceptionDispatchInfo.Capture(ex);
            throw;
        }
        finally
        {
            _queued.Clear();
        }
    }
}

/// <summary>A queued statement affected another number of rows than its unit expected (a version that moved, a key that
/// exists): the group commit rolls back and its units run again one by one, where the statement answers at once.</summary>
internal sealed class DeferredWriteMismatchException(string message) : Exception(message);

/// <summary>One statement of a command text, with the names of the parameters it uses.</summary>
internal sealed record SqlPart(string Sql, HashSet<string> Names)
{
    /// <summary>Splits <paramref name="sql"/> at the semicolons that end statements (not those in comments, quoted text
    /// or quoted names), dropping parts that hold only comments and blanks, and collects each part's <c>@name</c>
    /// parameters.</summary>
    public static SqlPart[] Split(string sql)
    {
        var parts = new List<SqlPart>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var start = 0;
        var hasCode = false;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                i = sql.IndexOf('\n', i) is var end and >= 0 ? end : sql.Length;
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                i = sql.IndexOf("*/", i + 2, StringComparison.Ordinal) is var end and >= 0 ? end + 2 : sql.Length;
            }
            else if (c is '\'' or '"')
            {
                hasCode = true;
                i = sql.IndexOf(c, i + 1) is var end and >= 0 ? end + 1 : sql.Length;
            }
            else if (c == ';')
            {
                Add(sql[start..i]);
                start = ++i;
            }
            else if (c == '@' && i + 1 < sql.Length && IsNameStart(sql[i + 1]))
            {
                var end = i + 1;
                while (end < sql.Length && (IsNameStart(sql[end]) || char.IsAsciiDigit(sql[end])))
                {
                    end++;
                }

                names.Add(sql[(i + 1)..end]);
                hasCode = true;
                i = end;
            }
            else
            {
                hasCode |= !char.IsWhiteSpace(c);
                i++;
            }
        }

        Add(sql[start..]);
        return [.. parts];

        void Add(string text)
        {
            if (hasCode)
            {
                parts.Add(new SqlPart(text.Trim(), names));
            }

            names = new HashSet<string>(StringComparer.Ordinal);
            hasCode = false;
        }

        static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';
    }
}
