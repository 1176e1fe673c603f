using OrleansFlow.Grains.Hosting;

namespace OrleansFlow.Silo.Storage;

/// <summary>The database under the grains: runs units of work in write transactions or on read connections.</summary>
public abstract class Database : IGrainDatabase, IAsyncDisposable
{
    /// <summary>The dialect of this database.</summary>
    public abstract SqlDialect Dialect { get; }

    /// <summary>A description safe to show (the file path, or the URL without its password).</summary>
    public abstract string Description { get; }

    /// <summary>Raised (on the writer's thread, before the writes of the commit complete: keep handlers short) after a
    /// commit that stored events emitted by its units, with the highest seq it gave one, so that the process's event feed
    /// reads them at once; other processes' feeds find them at their next poll.</summary>
    internal event Action<long>? EventsCommitted;

    /// <summary>Raises <see cref="EventsCommitted"/>.</summary>
    protected void OnEventsCommitted(long lastSeq) => EventsCommitted?.Invoke(lastSeq);

    /// <summary>The keys that seal secret values before they are written and open them when read.</summary>
    public SecretKeyRing Secrets { get; private set; } = null!;

    /// <summary>Opens the database the options select and applies pending migrations (under a lock, so
    /// several servers may start at once).</summary>
    /// <exception cref="InvalidOperationException">The options name a database that cannot be opened.</exception>
    public static async Task<Database> OpenAsync(DatabaseOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var secrets = SecretKeyRing.Load(options);
        Database database = options.Dialect == SqlDialect.Postgres
            ? new PostgresDatabase(options)
            : new SqliteDatabase(options.SqlitePath, options.WriteQueueCapacity, options.SqliteOverlappedSync, options.SqliteCoalescedLogWrites);
        database.Secrets = secrets;
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

    Task<T> IGrainDatabase.WriteAsync<T>(Func<IGrainTransaction, Task<T>> write, CancellationToken cancellationToken) => WriteAsync(write, cancellationToken);

    Task<T> IGrainDatabase.ReadAsync<T>(Func<IGrainTransaction, Task<T>> read, CancellationToken cancellationToken) => ReadAsync(read, cancellationToken);

    /// <summary>Whether the database answers a trivial query within <paramref name="timeout"/>: what health and
    /// readiness probes report. Never throws for a database that is down; only for <paramref name="cancellationToken"/>.</summary>
    public async Task<bool> IsReachableAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await ReadAsync(async session =>
            {
                await using var command = session.Text("SELECT 1");
                return Convert.ToInt64(await command.ScalarAsync(deadline.Token).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 1;
            }, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
