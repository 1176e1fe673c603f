using System.Data.Common;
using Microsoft.Data.Sqlite;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Tests.Storage;

/// <summary>A lane whose commits return before they are durable (<see cref="WriteLane.SyncsAfterCommit"/>): a write is
/// answered only after a sync that began after its commit, and the lane commits the next batch while a sync runs. On a
/// real SQLite file whose lane holds each sync until the test lets it go, and a second connection that sees what the lane
/// committed; nothing here depends on timing.</summary>
public sealed class GroupCommitWriterSyncTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "orleansflow-gcs-" + Guid.NewGuid().ToString("N"));
    private HeldSyncLane _lane = null!;
    private GroupCommitWriter _writer = null!;

    private string FilePath => Path.Combine(_folder, "sync.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _lane = new HeldSyncLane(FilePath);
        _writer = new GroupCommitWriter(SqlDialect.Sqlite, [_lane], maxBatch: 64);
        var created = _writer.WriteAsync(
            s => s.Text("CREATE TABLE writes (name TEXT PRIMARY KEY)").ExecuteAsync(CancellationToken.None), CancellationToken.None);
        (await _lane.Syncs.ReadAsync().AsTask().WaitAsync(Deadline)).SetResult();
        await created.WaitAsync(Deadline);
    }

    public async Task DisposeAsync()
    {
        _lane.FailSyncsFromNowOn = null;
        var disposing = _writer.DisposeAsync().AsTask();
        while (!disposing.IsCompleted)
        {
            // Syncs still waiting (a failed test) are let go, so that the writer can stop.
            if (_lane.Syncs.TryRead(out var sync))
            {
                sync.TrySetResult();
            }
            else
            {
                await Task.WhenAny(disposing, _lane.Syncs.WaitToReadAsync().AsTask());
            }
        }

        await disposing;
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AWrite_IsAnsweredAfterASyncThatBeganAfterItsCommit_AndTheNextBatchCommitsWhileTheSyncRuns()
    {
        var first = Insert("first");
        var firstSync = await _lane.Syncs.ReadAsync().AsTask().WaitAsync(Deadline);

        // The first commit ended (another connection sees its row), but its sync is held: not answered yet.
        Assert.Equal(["first"], await NamesAsync());
        Assert.False(first.IsCompleted);

        // The lane is not held by the sync: the next write commits meanwhile.
        var second = Insert("second");
        await WaitForNamesAsync(["first", "second"]);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);

        // The sync in flight began before the second commit ended: it answers the first write only.
        firstSync.SetResult();
        await first.WaitAsync(Deadline);
        var secondSync = await _lane.Syncs.ReadAsync().AsTask().WaitAsync(Deadline);
        Assert.False(second.IsCompleted);

        secondSync.SetResult();
        await second.WaitAsync(Deadline);
        Assert.Equal(3, _lane.SyncsStarted);
    }

    [Fact]
    public async Task WritesCommittedDuringOneSync_AreAllAnsweredByTheNextSync()
    {
        var first = Insert("first");
        var firstSync = await _lane.Syncs.ReadAsync().AsTask().WaitAsync(Deadline);
        var later = Enumerable.Range(0, 5).Select(i => Insert("later-" + i)).ToList();
        await WaitForNamesAsync(["first", "later-0", "later-1", "later-2", "later-3", "later-4"]);

        firstSync.SetResult();
        await first.WaitAsync(Deadline);
        (await _lane.Syncs.ReadAsync().AsTask().WaitAsync(Deadline)).SetResult();
        await Task.WhenAll(later).WaitAsync(Deadline);

        // One sync for the five, whether they committed in one batch or several.
        Assert.Equal(3, _lane.SyncsStarted);
    }

    [Fact]
    public async Task AFailedSync_FailsTheWritesItWasToMakeDurable_AndEveryLaterWrite()
    {
        var first = Insert("first");
        _lane.FailSyncsFromNowOn = new IOException("the disk is gone");
        (await _lane.Syncs.ReadAsync().AsTask().WaitAsync(Deadline)).SetResult();

        var failure = await Assert.ThrowsAsync<IOException>(() => first.WaitAsync(Deadline));
        Assert.Contains("restart", failure.Message, StringComparison.Ordinal);
        Assert.Contains("the disk is gone", failure.Message, StringComparison.Ordinal);

        // Later writes fail without committing: nothing new reaches the file.
        var later = await Assert.ThrowsAsync<IOException>(() => Insert("later").WaitAsync(Deadline));
        Assert.Same(failure, later);
        Assert.Equal(["first"], await NamesAsync());
        Assert.Equal(2, _lane.SyncsStarted);
    }

    private Task<int> Insert(string name) =>
        _writer.WriteAsync(
            s => s.Text("INSERT INTO writes (name) VALUES (@name)").Add("name", name).ExecuteAsync(CancellationToken.None),
            CancellationToken.None);

    private async Task<List<string>> NamesAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False");
        await connection.OpenAsync();
        return await new DbSession(SqlDialect.Sqlite, connection, null)
            .Text("SELECT name FROM writes ORDER BY name").ListAsync(r => r.GetString(0), CancellationToken.None);
    }

    /// <summary>Reads the table until it holds exactly <paramref name="names"/>: the lane commits on its own loop.</summary>
    private async Task WaitForNamesAsync(List<string> names)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!(await NamesAsync()).SequenceEqual(names))
        {
            await Task.Yield();
            deadline.Token.ThrowIfCancellationRequested();
        }
    }

    /// <summary>A write lane on a SQLite file in WAL mode whose commits do not sync (<c>synchronous=OFF</c>), and whose
    /// every sync waits for the test: each sync hands the test a source to complete.</summary>
    private sealed class HeldSyncLane(string path) : WriteLane
    {
        private readonly SqliteConnection _connection = new($"Data Source={path};Pooling=False");
        private readonly System.Threading.Channels.Channel<TaskCompletionSource> _syncs =
            System.Threading.Channels.Channel.CreateUnbounded<TaskCompletionSource>();
        private int _syncsStarted;

        public System.Threading.Channels.ChannelReader<TaskCompletionSource> Syncs => _syncs.Reader;

        public int SyncsStarted => Volatile.Read(ref _syncsStarted);

        public Exception? FailSyncsFromNowOn { get; set; }

        public override bool UsesSavepoints => true;

        public override bool SyncsAfterCommit => true;

        public override async ValueTask SyncAsync()
        {
            Interlocked.Increment(ref _syncsStarted);
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _syncs.Writer.TryWrite(release);
            await release.Task;
            if (FailSyncsFromNowOn is { } failure)
            {
                throw failure;
            }
        }

        public override Task<DbTransaction> BeginAsync(CancellationToken cancellationToken)
        {
            if (_connection.State != System.Data.ConnectionState.Open)
            {
                _connection.Open();
                using var pragmas = _connection.CreateCommand();
                pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;";
                pragmas.ExecuteNonQuery();
            }

            return Task.FromResult<DbTransaction>(_connection.BeginTransaction());
        }

        public override bool IsTransient(Exception exception) => false;

        public override async ValueTask DisposeAsync() => await _connection.DisposeAsync();
    }
}
