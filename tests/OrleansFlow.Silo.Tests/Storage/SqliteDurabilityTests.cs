using Microsoft.Data.Sqlite;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Tests.Storage;

/// <summary><see cref="SqliteDatabase"/>'s two ways of making commits durable, on real files: with overlapped sync (the
/// default) the writer commits with <c>synchronous=NORMAL</c> and leaves copying the log into the database file to
/// background checkpoints; turned off, every commit syncs itself (<c>synchronous=FULL</c>) and SQLite checkpoints after
/// the commit that fills 1,000 pages. Either way every answered write is there when the file is opened again.</summary>
public sealed class SqliteDurabilityTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "orleansflow-durable-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task WithOverlappedSync_TheLogIsCopiedIntoTheDatabaseFile_WithoutTheWriterCheckpointing()
    {
        var path = Path.Combine(_folder, "overlapped.db");
        await using (var database = new SqliteDatabase(path))
        {
            // One write at a time: each is its own commit and its own sync, and a background checkpoint starts every
            // 32nd. Far below the writer's own checkpoint (4,000 pages), so only a background one copies the log.
            await CreateTableAsync(database);
            for (var i = 0; i < 80; i++)
            {
                await InsertAsync(database, "run-" + i);
            }

            await WaitUntilAsync(async () => await RowsInTheFileAloneAsync(path) > 0, "a background checkpoint copies the log into the database file");
            Assert.Equal("normal", await WriterSynchronousAsync(database));
            Assert.True(File.Exists(path + "-wal"));
        }

        Assert.Equal(80, await CountAsync(path));
    }

    [Fact]
    public async Task WithOverlappedSyncOff_EveryCommitSyncsItself_AndTheWritesAreAllThere()
    {
        var path = Path.Combine(_folder, "full.db");
        await using (var database = new SqliteDatabase(path, overlappedSync: false))
        {
            await CreateTableAsync(database);
            await Task.WhenAll(Enumerable.Range(0, 40).Select(i => InsertAsync(database, "run-" + i))).WaitAsync(Deadline);
            Assert.Equal("full", await WriterSynchronousAsync(database));
            Assert.True(File.Exists(path + "-wal"));

            // SQLite checkpoints only once the log holds 1,000 pages: these few writes are all still in the log.
            Assert.Equal(-1, await RowsInTheFileAloneAsync(path));
        }

        Assert.Equal(40, await CountAsync(path));
    }

    [Fact]
    public async Task ADatabaseFileReachedThroughASymbolicLink_IsSyncedWhereSqliteKeepsItsLog()
    {
        var target = Path.Combine(_folder, "data", "real.db");
        var link = Path.Combine(_folder, "link.db");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllBytes(target, []);
        File.CreateSymbolicLink(link, target);
        await using (var database = new SqliteDatabase(link))
        {
            await CreateTableAsync(database);
            await InsertAsync(database, "run-0");
            Assert.True(File.Exists(target + "-wal"));
            Assert.False(File.Exists(link + "-wal"));
        }

        Assert.Equal(1, await CountAsync(target));
    }

    private static Task CreateTableAsync(SqliteDatabase database) =>
        database.WriteAsync(s => s.Text("CREATE TABLE runs (name TEXT PRIMARY KEY)").ExecuteAsync(CancellationToken.None), CancellationToken.None)
            .WaitAsync(Deadline);

    private static Task InsertAsync(SqliteDatabase database, string name) =>
        database.WriteAsync(s => s.Text("INSERT INTO runs (name) VALUES (@name)").Add("name", name).ExecuteAsync(CancellationToken.None),
            CancellationToken.None).WaitAsync(Deadline);

    /// <summary>The writer connection's <c>synchronous</c> setting, read inside a write (0 off, 1 normal, 2 full).</summary>
    private static async Task<string> WriterSynchronousAsync(SqliteDatabase database)
    {
        var level = Convert.ToInt64(await database.WriteAsync(
            s => s.Text("PRAGMA synchronous").ScalarAsync(CancellationToken.None), CancellationToken.None).WaitAsync(Deadline),
            System.Globalization.CultureInfo.InvariantCulture);
        return level switch { 1 => "normal", 2 => "full", _ => level.ToString(System.Globalization.CultureInfo.InvariantCulture) };
    }

    /// <summary>Counts the rows with a fresh connection after the database was closed (the last connection's close
    /// checkpoints the log into the file and removes it).</summary>
    private static async Task<long> CountAsync(string path)
    {
        SqliteConnection.ClearAllPools();
        Assert.False(File.Exists(path + "-wal"));
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM runs";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The rows of <c>runs</c> in a copy of the database file without its log, that is, what checkpoints have
    /// copied into the file: -1 when the table is not there yet, null when the copy caught a checkpoint in the middle.</summary>
    private async Task<long?> RowsInTheFileAloneAsync(string path)
    {
        var copy = Path.Combine(_folder, "copy-" + Guid.NewGuid().ToString("N") + ".db");
        File.Copy(path, copy);
        try
        {
            await using var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'runs'";
            if ((long)(await command.ExecuteScalarAsync())! == 0)
            {
                return -1;
            }

            command.CommandText = "SELECT count(*) FROM runs";
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!await condition())
        {
            Assert.False(deadline.IsCancellationRequested, "Timed out waiting until " + what + ".");
            await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        }
    }
}
