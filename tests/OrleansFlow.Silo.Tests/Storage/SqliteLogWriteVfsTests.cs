using Microsoft.Data.Sqlite;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Tests.Storage;

/// <summary>The tests of <see cref="SqliteLogWriteVfs"/> read its process-wide counters, so they run alone.</summary>
[CollectionDefinition(nameof(SqliteLogWriteVfsTests), DisableParallelization = true)]
public sealed class SqliteLogWriteVfsCollection;

/// <summary><see cref="SqliteLogWriteVfs"/> on real files: the writer's commits reach the write-ahead log as one write
/// each, every other connection (on SQLite's own VFS) reads each answered write at once, a transaction larger than the
/// buffer commits whole, and the file is intact when opened again.</summary>
[Collection(nameof(SqliteLogWriteVfsTests))]
public sealed class SqliteLogWriteVfsTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "orleansflow-logvfs-" + Guid.NewGuid().ToString("N"));

    public SqliteLogWriteVfsTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task TheWritersCommitsReachTheLogAsOneWriteEach_AndAnotherConnectionReadsEachAnsweredWrite()
    {
        var path = Path.Combine(_folder, "runs.db");
        await using (var database = new SqliteDatabase(path))
        {
            await CreateTableAsync(database);
            var (frames, buffers) = (SqliteLogWriteVfs.FramesBuffered, SqliteLogWriteVfs.BuffersWritten);
            await using var reader = await OpenReaderAsync(path);
            for (var i = 0; i < 50; i++)
            {
                // Each write is its own commit of several pages (a 3,000-byte row fills most of a page, plus the index).
                await InsertAsync(database, "run-" + i, 3000);
                Assert.Equal(i + 1, await CountAsync(reader));
            }

            var framesBuffered = SqliteLogWriteVfs.FramesBuffered - frames;
            var buffersWritten = SqliteLogWriteVfs.BuffersWritten - buffers;
            Assert.True(framesBuffered >= 100, $"{framesBuffered} frames buffered for 50 commits of two pages or more");
            Assert.True(buffersWritten <= 50, $"{buffersWritten} writes for 50 commits");
        }

        Assert.Equal(("ok", 50L), await CheckAsync(path));
    }

    [Fact]
    public async Task ConcurrentWrites_CommitInBatches_AndAllAreThereWhenTheFileIsOpenedAgain()
    {
        var path = Path.Combine(_folder, "batches.db");
        await using (var database = new SqliteDatabase(path))
        {
            await CreateTableAsync(database);
            await using var reader = await OpenReaderAsync(path);
            await Task.WhenAll(Enumerable.Range(0, 400).Select(async i =>
            {
                await InsertAsync(database, "run-" + i, 500 + i * 7);
                Assert.True(await ExistsAsync(path, "run-" + i), $"run-{i} is answered, so another connection reads it");
            })).WaitAsync(Deadline);
            Assert.Equal(400, await CountAsync(reader));
        }

        Assert.Equal(("ok", 400L), await CheckAsync(path));
    }

    [Fact]
    public async Task ATransactionLargerThanTheBuffer_CommitsWhole()
    {
        var path = Path.Combine(_folder, "large.db");
        await using (var database = new SqliteDatabase(path))
        {
            await CreateTableAsync(database);
            await using var reader = await OpenReaderAsync(path);

            // 600 rows of 3,000 bytes in one commit: about 2.4 MB of pages, more than twice the 1 MB buffer.
            await database.WriteAsync(async s =>
            {
                for (var i = 0; i < 600; i++)
                {
                    await s.Text("INSERT INTO runs (name, body) VALUES (@name, randomblob(3000))").Add("name", "run-" + i).ExecuteAsync(CancellationToken.None);
                }

                return 0;
            }, CancellationToken.None).WaitAsync(Deadline);
            Assert.Equal(600, await CountAsync(reader));
            await InsertAsync(database, "after", 10);
            Assert.Equal(601, await CountAsync(reader));
        }

        Assert.Equal(("ok", 601L), await CheckAsync(path));
    }

    [Fact]
    public async Task TurnedOff_TheWriterUsesSqlitesOwnVfs()
    {
        var path = Path.Combine(_folder, "off.db");
        await using (var database = new SqliteDatabase(path, coalescedLogWrites: false))
        {
            await CreateTableAsync(database);
            var frames = SqliteLogWriteVfs.FramesBuffered;
            for (var i = 0; i < 10; i++)
            {
                await InsertAsync(database, "run-" + i, 3000);
            }

            Assert.Equal(frames, SqliteLogWriteVfs.FramesBuffered);
        }

        Assert.Equal(("ok", 10L), await CheckAsync(path));
    }

    [Fact]
    public void TheSwitch_IsReadFromTheEnvironment_AndABadValueIsNamed()
    {
        const string Variable = "ORLEANSFLOW_SQLITE_COALESCED_LOG_WRITES";
        try
        {
            Environment.SetEnvironmentVariable(Variable, null);
            Assert.True(DatabaseOptions.FromEnvironment().SqliteCoalescedLogWrites);
            Environment.SetEnvironmentVariable(Variable, " false ");
            Assert.False(DatabaseOptions.FromEnvironment().SqliteCoalescedLogWrites);
            Environment.SetEnvironmentVariable(Variable, "sometimes");
            var error = Assert.Throws<InvalidOperationException>(DatabaseOptions.FromEnvironment);
            Assert.Equal($"{Variable} must be true or false, not 'sometimes'.", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }
    }

    private static Task CreateTableAsync(SqliteDatabase database) =>
        database.WriteAsync(s => s.Text("CREATE TABLE runs (name TEXT PRIMARY KEY, body BLOB)").ExecuteAsync(CancellationToken.None), CancellationToken.None)
            .WaitAsync(Deadline);

    private static Task InsertAsync(SqliteDatabase database, string name, int bytes) =>
        database.WriteAsync(s => s.Text("INSERT INTO runs (name, body) VALUES (@name, randomblob(@bytes))").Add("name", name).Add("bytes", bytes)
            .ExecuteAsync(CancellationToken.None), CancellationToken.None).WaitAsync(Deadline);

    /// <summary>A connection on SQLite's own VFS, as the server's readers are.</summary>
    private static async Task<SqliteConnection> OpenReaderAsync(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<long> CountAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM runs";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<bool> ExistsAsync(string path, string name)
    {
        await using var connection = await OpenReaderAsync(path);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM runs WHERE name = @name AND length(body) > 0";
        command.Parameters.AddWithValue("name", name);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    /// <summary>Opens the closed database afresh: its integrity check and its row count.</summary>
    private static async Task<(string, long)> CheckAsync(string path)
    {
        SqliteConnection.ClearAllPools();
        await using var connection = await OpenReaderAsync(path);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        var integrity = (string)(await command.ExecuteScalarAsync())!;
        return (integrity, await CountAsync(connection));
    }
}
