using System.Data;
using System.Data.Common;
using Npgsql;

namespace OrleansFlow.Silo.Storage;

/// <summary>PostgreSQL through one <see cref="NpgsqlDataSource"/>. Writes go through a few long-lived lanes with group
/// commit (<see cref="GroupCommitWriter"/>): one READ COMMITTED transaction, one commit and one WAL flush serve every
/// unit waiting. Grain writes are conditional on the row version they read, so that servers sharing the database never both
/// apply a transition: the loser's unit sees a conflict and runs again on the new state. Deadlocks and serialization failures are retried.</summary>
internal sealed class PostgresDatabase : Database
{
    private const int MaxBatch = 64;
    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommitWriter _writer;
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
        ConnectionString = builder.ConnectionString;
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _writer = new GroupCommitWriter(SqlDialect.Postgres,
            [.. Enumerable.Range(0, Math.Clamp(options.WriteLanes, 1, options.MaxPoolSize / 2)).Select(_ => new PostgresLane(_dataSource))], MaxBatch, options.WriteQueueCapacity, OnEventsCommitted,
            options.WriteGatherDelay);
    }

    public override SqlDialect Dialect => SqlDialect.Postgres;

    public override string Description => _description;

    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>The Npgsql connection string of this database (with its password: never log it).</summary>
    internal string ConnectionString { get; }

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
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            var (keyword, setting) = UrlParameter(key, value);
            try
            {
                builder[keyword] = setting;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
            {
                throw new InvalidOperationException($"ORLEANSFLOW_DATABASE_URL: the parameter '{key}' is not a PostgreSQL connection setting this server knows, or its value is not valid.", ex);
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>A libpq URL parameter (<c>sslmode=verify-full</c>, <c>connect_timeout</c>, ...) as the Npgsql setting of
    /// the same meaning; other names pass as Npgsql keywords.</summary>
    private static (string Keyword, string Value) UrlParameter(string key, string value) => key.ToLowerInvariant() switch
    {
        "sslmode" => ("SSL Mode", value.ToLowerInvariant() switch
        {
            "verify-ca" => "VerifyCA",
            "verify-full" => "VerifyFull",
            _ => value,
        }),
        "sslrootcert" => ("Root Certificate", value),
        "sslcert" => ("SSL Certificate", value),
        "sslkey" => ("SSL Key", value),
        "sslpassword" => ("SSL Password", value),
        "connect_timeout" => ("Timeout", value),
        "application_name" => ("Application Name", value),
        "target_session_attrs" => ("Target Session Attributes", value),
        "options" => ("Options", value),
        "user" => ("Username", value),
        "password" => ("Password", value),
        "dbname" => ("Database", value),
        "host" => ("Host", value),
        "port" => ("Port", value),
        _ => (key, value),
    };

    internal override Task<T> WriteAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken) =>
        _writer.WriteAsync(work, cancellationToken);

    internal override async Task<T> ReadAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await work(new DbSession(SqlDialect.Postgres, connection, null)).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class PostgresLane(NpgsqlDataSource dataSource) : WriteLane
    {
        private NpgsqlConnection? _connection;

        public override bool UsesSavepoints => false;

        public override async Task<DbTransaction> BeginAsync(CancellationToken cancellationToken)
        {
            if (_connection is not { State: ConnectionState.Open })
            {
                if (_connection is not null)
                {
                    await _connection.DisposeAsync().ConfigureAwait(false);
                }

                _connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            }

            return await _connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        }

        public override bool IsTransient(Exception exception) =>
            exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure }
            || exception is Grains.Orchestration.ConcurrencyConflictException
            || exception is NpgsqlException { IsTransient: true };

        public override async ValueTask DisposeAsync()
        {
            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
