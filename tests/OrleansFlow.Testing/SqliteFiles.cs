using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Testing;

/// <summary>Fresh SQLite database files in a temp folder of their own, deleted (folder and all) on dispose.</summary>
/// <example><code>
/// using var files = new SqliteFiles();
/// await using var silo = await OrleansFlowSilo.StartAsync(files.NewDatabase());
/// </code></example>
public sealed class SqliteFiles : IDisposable
{
    /// <summary>The folder holding the files (also usable as an <c>ORLEANSFLOW_HOME</c>).</summary>
    public string Folder { get; } = TempFolder.Create("orleansflow-sqlite");

    /// <summary>A path in <see cref="Folder"/> where no file exists yet, e.g. <c>/tmp/orleansflow-sqlite-…/orleansflow-1a2b3c4d.db</c>.</summary>
    public string NewPath(string name = "orleansflow") =>
        Path.Combine(Folder, $"{name}-{Guid.NewGuid().ToString("N")[..8]}.db");

    /// <summary>The <c>sqlite:///</c> URL of <paramref name="path"/> (as <c>ORLEANSFLOW_DATABASE_URL</c> takes it).</summary>
    public static string Url(string path) => "sqlite:///" + Path.GetFullPath(path);

    /// <summary>Options for a new, empty SQLite database file.</summary>
    public DatabaseOptions NewDatabase() => Options(NewPath());

    /// <summary>Options for the SQLite file at <paramref name="path"/> (e.g. to open the same file twice).</summary>
    public DatabaseOptions Options(string path) => new() { DatabaseUrl = Url(path), Home = Folder };

    /// <inheritdoc />
    public void Dispose() => TempFolder.Delete(Folder);
}
