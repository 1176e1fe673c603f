using System.Data;
using Npgsql;

namespace OrleansFlow.Silo.Storage;

/// <summary>PostgreSQL through one <see cref="NpgsqlDataSource"/>. Each write runs in its own READ COMMITTED transaction;
/// grains lock the rows they change (<c>FOR UPDATE</c>), so that servers sharing the database never both apply a
/// transition. Deadlocks and serialization failures are retried.</summary>
internal sealed class PostgresDatabase : Database
{
    private const int MaxAttempts = 5;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _description;

    public PostgresDatabase(DatabaseOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(ToConnectionString(options.DatabaseUrl!))
        {
            MaxPoolSize = options.MaxPoolSize,
            MaxAutoPrepare = 128,
            AutoPrepareMinUsages = 2,
            NoResetOnClose = true,
            ApplicationName = "orleansflow",
        };
        _description = $"postgresql://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public override SqlDialect Dialect => SqlDialect.Postgres;

    public override string Description => _description;

    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Turns a <c>postgresql://user:pass@host:port/db?opt=v</c> URL into an Npgsql connection string;
    /// a value that already is a connection string passes unchanged.</summary>
    public static string ToConnectionString(string url)
    {
        if (!url.Contains("://", StringComparison.Ordinal))
        {
            return url;
        }

        var uri = new Uri(url.Replace("postgresql+asyncpg://", "postgresql://", StringComparison.OrdinalIgnoreCase));
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length == 2 && !kv[0].Equals("sslmode", StringComparison.OrdinalIgnoreCase))
            {
                builder[Uri.UnescapeDataString(kv[0])] = Uri.UnescapeDataString(kv[1]);
            }
        }

        return builder.ConnectionString;
    }

    internal override async Task<T> WriteAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await work(new DbSession(SqlDialect.Postgres, connection, transaction)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (PostgresException ex) when (attempt < MaxAttempts && ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                // Another server changed the same rows; run the whole unit again on fresh data.
            }
        }
    }

    internal override async Task<T> ReadAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await work(new DbSession(SqlDialect.Postgres, connection, null)).ConfigureAwait(false);
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
