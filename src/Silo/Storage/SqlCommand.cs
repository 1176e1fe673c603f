using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OrleansFlow.Grains.Json;

namespace OrleansFlow.Silo.Storage;

/// <summary>A command with dialect-aware parameters: ids, times, tags and JSON are stored as each database likes them.
/// SQLite keeps ids as text, times as sortable UTC text and tags as a JSON array; PostgreSQL uses uuid, timestamptz
/// and text[].</summary>
/// <param name="command">The ADO.NET command.</param>
/// <param name="dialect">The database's dialect.</param>
/// <param name="release">Called instead of disposing the command when it belongs to a <see cref="StatementCache"/>, which
/// keeps it (and the statement SQLite prepared for it) for the next use of the same SQL.</param>
/// <param name="session">The session the command runs in: the statements it queued are sent before this one runs.</param>
internal sealed class SqlCommand(DbCommand command, SqlDialect dialect, Action<DbCommand>? release = null, DbSession? session = null)
    : IAsyncDisposable, IDisposable
{
    // Enums are stored by name in upper case (state types on every transition): named once per value.
    private static readonly ConcurrentDictionary<Enum, string> EnumTexts = new();

    // On SQLite a command kept by a StatementCache comes back with the parameters of its last use: the same statement
    // binds the same names in the same order, so Add sets their values in place instead of allocating new parameters
    // (a dozen per transition). The first name that differs drops the rest, and so does running the command: no value
    // of an earlier use is ever bound to this one.
    private int _bound;

    public DbCommand Command { get; } = command;

    /// <summary>Binds <paramref name="value"/>. On PostgreSQL a null of a known type (a <c>DateTimeOffset?</c>, a
    /// <c>string</c>, …) is bound with that type: an untyped null is sent as "unknown", and a prepared statement whose
    /// parameter types change between executions is parsed and planned again. So a statement such as the run update,
    /// whose times are null in one state and set in the next, would never stay prepared. A null whose type is known
    /// only at run time (<typeparamref name="T"/> is <see cref="object"/>) stays untyped.</summary>
    public SqlCommand Add<T>(string name, T value)
    {
        if (dialect == SqlDialect.Sqlite && _bound < Command.Parameters.Count)
        {
            var kept = Command.Parameters[_bound];
            if (kept.ParameterName.AsSpan(1).SequenceEqual(name))
            {
                kept.Value = Convert(value);
                _bound++;
                return this;
            }

            DropUnbound();
        }

        _bound++;
        var parameter = Command.CreateParameter();
        // SQLite binds a name without its prefix by trying every prefix in turn; the statements use '@'.
        parameter.ParameterName = dialect == SqlDialect.Sqlite ? "@" + name : name;
        parameter.Value = Convert(value);
        if (value is null && dialect == SqlDialect.Postgres && NullType(typeof(T)) is { } type)
        {
            ((NpgsqlParameter)parameter).NpgsqlDbType = type;
        }

        Command.Parameters.Add(parameter);
        return this;
    }

    /// <summary>The PostgreSQL type a value of <paramref name="type"/> is bound as when it is not null (what Npgsql infers
    /// from the converted value), or null when unknown.</summary>
    private static NpgsqlDbType? NullType(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) || t.IsEnum => NpgsqlDbType.Text,
        var t when t == typeof(Guid) => NpgsqlDbType.Uuid,
        var t when t == typeof(DateTimeOffset) => NpgsqlDbType.TimestampTz,
        var t when t == typeof(long) => NpgsqlDbType.Bigint,
        var t when t == typeof(int) => NpgsqlDbType.Integer,
        var t when t == typeof(bool) => NpgsqlDbType.Boolean,
        var t when t == typeof(double) => NpgsqlDbType.Double,
        _ => null,
    };

    public SqlCommand AddTags(string name, IReadOnlyList<string> tags)
    {
        if (dialect == SqlDialect.Postgres)
        {
            Command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = tags.ToArray() });
        }
        else
        {
            Add(name, JsonSerializer.Serialize(tags, OrleansFlowJson.Options));
        }

        return this;
    }

    /// <summary>PostgreSQL only: binds <paramref name="values"/> as one array parameter of <paramref name="elementType"/>
    /// (for <c>unnest</c>, which inserts any number of rows with one statement text, so one prepared statement).</summary>
    public SqlCommand AddArray(string name, NpgsqlDbType elementType, Array values)
    {
        if (dialect != SqlDialect.Postgres)
        {
            throw new InvalidOperationException("Array parameters are bound on PostgreSQL only.");
        }

        Command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | elementType) { Value = values });
        return this;
    }

    public SqlCommand AddJson<T>(string name, T value) =>
        Add(name, value is null ? null : JsonSerializer.Serialize(value, StorageJson.Options));

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        DropUnbound();
        await FlushQueuedAsync(cancellationToken).ConfigureAwait(false);
        return await Command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a write whose unit expects it to affect <paramref name="expectedRows"/> rows, and returns the rows it
    /// affected. In a group commit of several units on PostgreSQL (<see cref="DbSession.DefersWrites"/>) it is queued
    /// instead, to be sent with the other queued statements in one round trip, and returns <paramref name="expectedRows"/>
    /// at once: should it then fail or affect another number of rows, the group commit rolls back and every unit runs
    /// again alone, where this runs at once and answers what it did. For writes whose answer is almost always the
    /// expected one (an update conditional on the version the grain holds, an insert whose key is new).</summary>
    public Task<int> ExecuteExpectingAsync(int expectedRows, CancellationToken cancellationToken)
    {
        if (session is { DefersWrites: true } deferring)
        {
            deferring.Defer((NpgsqlCommand)Command, expectedRows);
            return Task.FromResult(expectedRows);
        }

        return ExecuteAsync(cancellationToken);
    }

    private Task FlushQueuedAsync(CancellationToken cancellationToken) =>
        session is null ? Task.CompletedTask : session.FlushDeferredAsync(cancellationToken);

    public async Task<object?> ScalarAsync(CancellationToken cancellationToken)
    {
        DropUnbound();
        var value = session is { HasDeferred: true } deferring
            ? await deferring.ReadAsync(Command, async r => await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? r.GetValue(0) : null,
                cancellationToken).ConfigureAwait(false)
            : await Command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken) =>
        System.Convert.ToInt64(await ScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

    /// <summary>Reads rows, mapping each with <paramref name="map"/>.</summary>
    public Task<List<T>> ListAsync<T>(Func<DbDataReader, T> map, CancellationToken cancellationToken) => ReadAsync(async reader =>
    {
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(map(reader));
        }

        return list;
    }, cancellationToken);

    /// <summary>Reads the first row, or default when there is none.</summary>
    public Task<T?> FirstOrDefaultAsync<T>(Func<DbDataReader, T> map, CancellationToken cancellationToken) => ReadAsync(async reader =>
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? map(reader) : default, cancellationToken);

    /// <summary>Runs the command and reads its rows with <paramref name="read"/>; with writes queued in its session, in the
    /// same round trip as they (<see cref="DbSession.ReadAsync"/>).</summary>
    private async Task<T> ReadAsync<T>(Func<DbDataReader, Task<T>> read, CancellationToken cancellationToken)
    {
        DropUnbound();
        if (session is { HasDeferred: true } deferring)
        {
            return await deferring.ReadAsync(Command, read, cancellationToken).ConfigureAwait(false);
        }

        await using var reader = await Command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await read(reader).ConfigureAwait(false);
    }

    /// <summary>Reads the JSON documents in column 0 of each row.</summary>
    public Task<List<T>> ListJsonAsync<T>(CancellationToken cancellationToken) => ListAsync(r => Rows.Json<T>(r, 0), cancellationToken);

    /// <summary>Reads the JSON document in column 0 of the first row.</summary>
    public Task<T?> FirstJsonAsync<T>(CancellationToken cancellationToken) => FirstOrDefaultAsync(r => Rows.Json<T>(r, 0), cancellationToken);

    public void Dispose()
    {
        if (release is null)
        {
            Command.Dispose();
        }
        else
        {
            release(Command);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (release is null)
        {
            return Command.DisposeAsync();
        }

        release(Command);
        return ValueTask.CompletedTask;
    }

    /// <summary>SQLite: removes the kept parameters this use did not bind (see <see cref="Add{T}"/>).</summary>
    private void DropUnbound()
    {
        if (dialect != SqlDialect.Sqlite)
        {
            return;
        }

        for (var last = Command.Parameters.Count - 1; last >= _bound; last--)
        {
            Command.Parameters.RemoveAt(last);
        }
    }

    private object Convert(object? value) => value switch
    {
        null => DBNull.Value,
        Guid id when dialect == SqlDialect.Sqlite => id.ToString("D"),
        // SQLite stores a time as fixed-width UTC text, so text order is time order.
        DateTimeOffset time when dialect == SqlDialect.Sqlite => UtcTimeText.Sortable(time),
        DateTimeOffset time => time.UtcDateTime,
        Enum e => EnumTexts.GetOrAdd(e, static e => e.ToString().ToUpperInvariant()),
        _ => value,
    };
}
