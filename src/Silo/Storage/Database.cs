namespace OrleansFlow.Silo.Storage;

/// <summary>The database under the grains: runs units of work in write transactions or on read connections.</summary>
public abstract class Database : IAsyncDisposable
{
    /// <summary>The dialect of this database.</summary>
    public abstract SqlDialect Dialect { get; }

    /// <summary>A description safe to show (the file path, or the URL without its password).</summary>
    public abstract string Description { get; }

    /// <summary>Opens the database the options select and applies pending migrations (under a lock, so
    /// several servers may start at once).</summary>
    /// <exception cref="InvalidOperationException">The options name a database that cannot be opened.</exception>
    public static async Task<Database> OpenAsync(DatabaseOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Database database = options.Dialect == SqlDialect.Postgres
            ? new PostgresDatabase(options)
            : new SqliteDatabase(options.SqlitePath);
        try
        {
            await Migrator.MigrateAsync(database, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return database;
    }

    /// <summary>Runs <paramref name="work"/> inside one write transaction: it commits when the work returns and
    /// rolls back when it throws.</summary>
    internal abstract Task<T> WriteAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> on a read connection (a consistent snapshot is not promised across statements).</summary>
    internal abstract Task<T> ReadAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
