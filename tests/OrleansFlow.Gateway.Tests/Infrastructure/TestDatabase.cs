namespace OrleansFlow.Gateway.Tests.Infrastructure;

/// <summary>A fresh, empty database for one test: a temporary SQLite file, or a new PostgreSQL database.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _directory;

    private TestDatabase(DatabaseKind kind, string url, string? directory)
    {
        Kind = kind;
        Url = url;
        _directory = directory;
    }

    public DatabaseKind Kind { get; }

    /// <summary>The <c>ORLEANSFLOW_DATABASE_URL</c> of the database.</summary>
    public string Url { get; }

    public static Task<TestDatabase> CreateAsync(DatabaseKind kind)
    {
        if (kind == DatabaseKind.Sqlite)
        {
            var directory = Directory.CreateTempSubdirectory("orleansflow-gateway-tests-").FullName;
            return Task.FromResult(new TestDatabase(kind, "sqlite:///" + Path.Combine(directory, "orleansflow.db"), directory));
        }

        throw new InvalidOperationException("PostgreSQL needs the shared PostgresServer fixture of tests/OrleansFlow.Testing.");
    }

    public ValueTask DisposeAsync()
    {
        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a stopping server: the temp folder is cleaned by the OS.
            }
        }

        return ValueTask.CompletedTask;
    }
}
