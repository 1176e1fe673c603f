using Npgsql;

namespace OrleansFlow.Testing;

/// <summary>The PostgreSQL server of a test run, shared by every test of the process: the server named by
/// <c>ORLEANSFLOW_TEST_DATABASE_URL</c> when that is set, otherwise a throwaway PostgreSQL started from the installed
/// binaries in a temp folder (stopped and deleted when the process exits). Tests never share data: each asks for a
/// database of its own with <see cref="CreateDatabaseAsync(CancellationToken)"/>.</summary>
/// <example><code>
/// await using var database = await PostgresServer.CreateDatabaseAsync();
/// await using var silo = await OrleansFlowSilo.StartAsync(database.Options());
/// </code></example>
public sealed partial class PostgresServer : IAsyncDisposable
{
    /// <summary>The environment variable naming an existing server to use (<c>postgresql://user:pass@host:port/db</c>);
    /// its user must be allowed to create databases.</summary>
    public const string UrlVariable = "ORLEANSFLOW_TEST_DATABASE_URL";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartSharedAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private readonly ThrowawayCluster? _cluster;

    private PostgresServer(NpgsqlConnectionStringBuilder admin, ThrowawayCluster? cluster)
    {
        admin.Pooling = false;
        AdminConnectionString = admin.ConnectionString;
        Host = admin.Host!;
        Port = admin.Port;
        Username = admin.Username!;
        Password = admin.Password;
        _cluster = cluster;
    }

    /// <summary>A connection string to the server's maintenance database (superuser on a throwaway server).</summary>
    public string AdminConnectionString { get; }

    /// <summary>The server's host (127.0.0.1 for a throwaway server).</summary>
    public string Host { get; }

    /// <summary>The server's port.</summary>
    public int Port { get; }

    /// <summary>The user tests connect as.</summary>
    public string Username { get; }

    /// <summary>That user's password, if any (a throwaway server trusts local connections).</summary>
    public string? Password { get; }

    /// <summary>True when this server was started for the test run (false when it came from <see cref="UrlVariable"/>).</summary>
    public bool IsThrowaway => _cluster is not null;

    /// <summary>The shared server, started on first use. Every later call returns the same server (or the same
    /// start failure).</summary>
    public static Task<PostgresServer> SharedAsync() => Shared.Value;

    /// <summary>A new, empty database on the shared server; dropping it on dispose.</summary>
    public static async Task<PostgresTestDatabase> CreateDatabaseAsync(CancellationToken cancellationToken = default) =>
        await (await SharedAsync().ConfigureAwait(false)).NewDatabaseAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The <c>postgresql://</c> URL of a new, empty database on the shared server. The database is left for
    /// the server's teardown; prefer <see cref="CreateDatabaseAsync(CancellationToken)"/> when the caller can dispose.</summary>
    public static async Task<string> CreateDatabaseUrlAsync(CancellationToken cancellationToken = default) =>
        (await CreateDatabaseAsync(cancellationToken).ConfigureAwait(false)).Url;

    /// <summary>Creates a database named <c>of_&lt;random&gt;</c> on this server.</summary>
    public async Task<PostgresTestDatabase> NewDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = "of_" + Guid.NewGuid().ToString("N")[..20];
        await ExecuteAsync($"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0", cancellationToken).ConfigureAwait(false);
        return new PostgresTestDatabase(this, name);
    }

    /// <summary>The <c>postgresql://user[:password]@host:port/database</c> URL of <paramref name="database"/> on this server.</summary>
    public string UrlFor(string database)
    {
        var credentials = Uri.EscapeDataString(Username) + (Password is null ? "" : ":" + Uri.EscapeDataString(Password));
        return $"postgresql://{credentials}@{Host}:{Port}/{Uri.EscapeDataString(database)}";
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database, Pooling = true }.ConnectionString;

    /// <summary>Stops a throwaway server and deletes its folder; an external server is left alone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAsync().ConfigureAwait(false);
        }

        _createLock.Dispose();
    }

    internal async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        // CREATE/DROP DATABASE one at a time: concurrent ones contend for the template and gain nothing.
        await _createLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _createLock.Release();
        }
    }

    private static async Task<PostgresServer> StartSharedAsync()
    {
        if (Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url)
        {
            return new PostgresServer(ParseUrl(url), cluster: null);
        }

        var cluster = await ThrowawayCluster.StartAsync().ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.StopNow();
        return new PostgresServer(new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = cluster.Port,
            Username = ThrowawayCluster.Superuser,
            Database = "postgres",
        }, cluster);
    }

    /// <summary>Reads a <c>postgresql://user:pass@host:port/db</c> URL (or a plain Npgsql connection string).</summary>
    internal static NpgsqlConnectionStringBuilder ParseUrl(string url)
    {
        if (!url.Contains("://", StringComparison.Ordinal))
        {
            return new NpgsqlConnectionStringBuilder(url);
        }

        var uri = new Uri(url.Replace("postgresql+asyncpg://", "postgresql://", StringComparison.OrdinalIgnoreCase));
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = database.Length == 0 ? "postgres" : database,
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        return builder;
    }
}
