using System.Text.RegularExpressions;

namespace OrleansFlow.Silo.Storage;

/// <summary>Where OrleansFlow keeps its data.</summary>
public sealed class DatabaseOptions
{
    /// <summary>The database to use: a <c>postgresql://user:pass@host:port/db</c> URL, a <c>sqlite:///path</c> URL,
    /// or null for the default SQLite file <c>{Home}/orleansflow.db</c>. From <c>ORLEANSFLOW_DATABASE_URL</c>.</summary>
    public string? DatabaseUrl { get; set; }

    /// <summary>The folder for local data; default <c>~/.orleansflow</c>. From <c>ORLEANSFLOW_HOME</c>.</summary>
    public string Home { get; set; } = DefaultHome();

    /// <summary>The most connections to PostgreSQL from this process; default 32.</summary>
    public int MaxPoolSize { get; set; } = 32;

    /// <summary>How many connections to PostgreSQL carry writes (each commits whole batches); default 4.
    /// From <c>ORLEANSFLOW_DATABASE_WRITE_LANES</c>.</summary>
    public int WriteLanes { get; set; } = 4;

    /// <summary>The longest a PostgreSQL write lane holding a small batch (under <see cref="GroupCommitWriter.GatherTarget"/>
    /// units) waits for more while another lane commits: it commits as soon as that commit ends, so the wait is usually
    /// shorter; a write that arrives while nothing commits never waits. Several silos on one database each see a share of
    /// the writes, and this keeps their batches from shrinking to one or two units. Default 2 ms; zero turns it off.
    /// From <c>ORLEANSFLOW_DATABASE_WRITE_GATHER_MS</c>.</summary>
    public TimeSpan WriteGatherDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The default of <see cref="WriteQueueCapacity"/>.</summary>
    public const int DefaultWriteQueueCapacity = 20_000;

    /// <summary>How many writes may wait for a commit before new ones are refused (the API answers 429 with
    /// <c>Retry-After</c>); default 20,000. From <c>ORLEANSFLOW_DATABASE_WRITE_QUEUE</c>.</summary>
    public int WriteQueueCapacity { get; set; } = DefaultWriteQueueCapacity;

    /// <summary>How the SQLite database makes its commits durable. True (the default): a commit writes the write-ahead
    /// log and returns, a second loop fsyncs the log for every commit that ended before the fsync began, and the writes
    /// of those commits are answered only after it; the next batch commits while the fsync runs. False: each commit
    /// fsyncs before it returns (<c>synchronous=FULL</c>) and the next waits for it. Either way no answered write is lost
    /// to a crash or a power cut; with true, a reader may see a commit up to one fsync (a fraction of a millisecond)
    /// before it is durable and answered. From <c>ORLEANSFLOW_SQLITE_OVERLAPPED_SYNC</c> (<c>true</c> or <c>false</c>).</summary>
    public bool SqliteOverlappedSync { get; set; } = true;

    /// <summary>Whether the SQLite writer writes each commit's write-ahead log frames with one system call instead of two
    /// per page (a VFS of OrleansFlow's over SQLite's own; see docs/storage.md). The bytes written, their order against
    /// the commit and the fsyncs are the same either way. Default true; false uses SQLite's own VFS alone. From
    /// <c>ORLEANSFLOW_SQLITE_COALESCED_LOG_WRITES</c> (<c>true</c> or <c>false</c>).</summary>
    public bool SqliteCoalescedLogWrites { get; set; } = true;

    /// <summary>The key that seals secret values at rest (secret fields of block documents): the base64 text of 32
    /// random bytes (<c>orleansflow secrets new-key</c> prints one). When null, the key is read from
    /// <see cref="SecretsKeyFile"/>. Every server on one PostgreSQL database needs the same key. From
    /// <c>ORLEANSFLOW_SECRETS_KEY</c>.</summary>
    public string? SecretsKey { get; set; }

    /// <summary>The file holding the key when <see cref="SecretsKey"/> is not set; created with mode 0600 and a random key
    /// on first start. Default <c>{Home}/secrets.key</c>. From <c>ORLEANSFLOW_SECRETS_KEY_FILE</c>.</summary>
    public string? SecretsKeyFile { get; set; }

    /// <summary>Keys used before the current one: values they sealed are still opened, and sealed again with the current
    /// key when the server starts (rotation). From <c>ORLEANSFLOW_SECRETS_PREVIOUS_KEYS</c>, comma-separated.</summary>
    public IList<string> PreviousSecretsKeys { get; set; } = [];

    /// <summary>Reads the options from the <c>ORLEANSFLOW_*</c> environment variables.</summary>
    public static DatabaseOptions FromEnvironment()
    {
        var options = new DatabaseOptions();
        var home = Environment.GetEnvironmentVariable("ORLEANSFLOW_HOME");
        if (!string.IsNullOrWhiteSpace(home))
        {
            options.Home = home;
        }

        var url = Environment.GetEnvironmentVariable("ORLEANSFLOW_DATABASE_URL");
        if (!string.IsNullOrWhiteSpace(url))
        {
            options.DatabaseUrl = url;
        }

        var lanes = Environment.GetEnvironmentVariable("ORLEANSFLOW_DATABASE_WRITE_LANES");
        if (!string.IsNullOrWhiteSpace(lanes))
        {
            options.WriteLanes = int.TryParse(lanes, out var n) && n is >= 1 and <= 64
                ? n
                : throw new InvalidOperationException($"ORLEANSFLOW_DATABASE_WRITE_LANES must be a number from 1 to 64, not '{lanes}'.");
        }

        var gather = Environment.GetEnvironmentVariable("ORLEANSFLOW_DATABASE_WRITE_GATHER_MS");
        if (!string.IsNullOrWhiteSpace(gather))
        {
            options.WriteGatherDelay = double.TryParse(gather, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ms)
                && ms is >= 0 and <= 100
                ? TimeSpan.FromMilliseconds(ms)
                : throw new InvalidOperationException($"ORLEANSFLOW_DATABASE_WRITE_GATHER_MS must be a number of milliseconds from 0 to 100, not '{gather}'.");
        }

        options.SecretsKey = NullIfBlank(Environment.GetEnvironmentVariable("ORLEANSFLOW_SECRETS_KEY"));
        options.SecretsKeyFile = NullIfBlank(Environment.GetEnvironmentVariable("ORLEANSFLOW_SECRETS_KEY_FILE"));
        options.PreviousSecretsKeys = [.. (Environment.GetEnvironmentVariable("ORLEANSFLOW_SECRETS_PREVIOUS_KEYS") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

        var overlapped = Environment.GetEnvironmentVariable("ORLEANSFLOW_SQLITE_OVERLAPPED_SYNC");
        if (!string.IsNullOrWhiteSpace(overlapped))
        {
            options.SqliteOverlappedSync = bool.TryParse(overlapped.Trim(), out var on)
                ? on
                : throw new InvalidOperationException($"ORLEANSFLOW_SQLITE_OVERLAPPED_SYNC must be true or false, not '{overlapped}'.");
        }

        var coalesced = Environment.GetEnvironmentVariable("ORLEANSFLOW_SQLITE_COALESCED_LOG_WRITES");
        if (!string.IsNullOrWhiteSpace(coalesced))
        {
            options.SqliteCoalescedLogWrites = bool.TryParse(coalesced.Trim(), out var on)
                ? on
                : throw new InvalidOperationException($"ORLEANSFLOW_SQLITE_COALESCED_LOG_WRITES must be true or false, not '{coalesced}'.");
        }

        var queue = Environment.GetEnvironmentVariable("ORLEANSFLOW_DATABASE_WRITE_QUEUE");
        if (!string.IsNullOrWhiteSpace(queue))
        {
            options.WriteQueueCapacity = int.TryParse(queue, out var n) && n >= 1
                ? n
                : throw new InvalidOperationException($"ORLEANSFLOW_DATABASE_WRITE_QUEUE must be a number of at least 1, not '{queue}'.");
        }

        return options;
    }

    /// <summary>The dialect the options select.</summary>
    public SqlDialect Dialect => DatabaseUrl is { } url && (url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("postgresql+asyncpg://", StringComparison.OrdinalIgnoreCase)
        || url.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        ? SqlDialect.Postgres
        : SqlDialect.Sqlite;

    /// <summary>The SQLite file path the options select (when <see cref="Dialect"/> is SQLite).</summary>
    public string SqlitePath
    {
        get
        {
            if (DatabaseUrl is { } url)
            {
                foreach (var prefix in new[] { "sqlite+aiosqlite:///", "sqlite:///", "file:" })
                {
                    if (url.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    {
                        return url[prefix.Length..];
                    }
                }

                throw new InvalidOperationException(
                    $"ORLEANSFLOW_DATABASE_URL '{Redact(url)}' is neither a postgresql:// nor a sqlite:/// URL.");
            }

            return Path.Combine(Home, "orleansflow.db");
        }
    }

    /// <summary>The URL or connection string with every password replaced by <c>***</c>, safe to log: the password of
    /// a URL's user information, a <c>password=</c> URL parameter, and a <c>Password=</c>/<c>Pwd=</c> keyword.</summary>
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var redacted = Regex.Replace(url, @"(?i)(?<=(^|[;?&\s])\s*(password|pwd|sslpassword)\s*=\s*)(""[^""]*""|'[^']*'|[^;&]*)", "***");
        var scheme = redacted.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return redacted;
        }

        var authorityEnd = redacted.IndexOfAny(['/', '?', '#'], scheme + 3);
        var authority = authorityEnd < 0 ? redacted[(scheme + 3)..] : redacted[(scheme + 3)..authorityEnd];
        var at = authority.LastIndexOf('@');
        var colon = at < 0 ? -1 : authority.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || colon > at)
        {
            return redacted;
        }

        return string.Concat(redacted.AsSpan(0, scheme + 3), authority.AsSpan(0, colon), ":***", redacted.AsSpan(scheme + 3 + at));
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string DefaultHome() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".orleansflow");
}
