using System.Data.Common;
using Microsoft.Data.Sqlite;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Tests.Storage;

/// <summary>The group commit's gathering (<see cref="GroupCommitWriter"/> with a gather delay), on two lanes that are each
/// a private in-memory SQLite database: a write that arrives while nothing commits never waits, however long the delay; a
/// small batch that finds another lane committing collects the writes that arrive into one transaction; and it stops
/// collecting when that commit ends. A "commit in flight" is a unit whose work waits for the test, so nothing here depends
/// on timing: the one delay that must pass (<see cref="TheGatherDelay_BoundsTheWait_WhileTheOtherCommitStaysInFlight"/>)
/// is a millisecond against a commit that never ends while the test waits.</summary>
public sealed class GroupCommitWriterGatherTests
{
    private static readonly TimeSpan Forever = TimeSpan.FromHours(1);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AWriteArrivingWhileNothingCommits_DoesNotWait_EvenWithAnHourOfGatherDelay()
    {
        await using var writer = Writer(Forever);

        var session = await writer.WriteAsync(s => Task.FromResult(s), CancellationToken.None).WaitAsync(Deadline);

        Assert.NotNull(session);
    }

    [Fact]
    public async Task WritesArrivingWhileAnotherLaneCommits_AreGatheredIntoOneTransaction()
    {
        await using var writer = Writer(Forever);
        var (inFlight, release) = await InFlightAsync(writer);

        // The second lane takes the first of these alone, sees the commit in flight and waits for more: all of them share
        // its transaction, although they were queued one after another.
        var gathered = Enumerable.Range(0, GroupCommitWriter.GatherTarget)
            .Select(_ => writer.WriteAsync(s => Task.FromResult(s), CancellationToken.None)).ToList();
        var sessions = await Task.WhenAll(gathered).WaitAsync(Deadline);

        Assert.Single(sessions.Distinct());
        Assert.False(inFlight.IsCompleted);
        release.SetResult();
        Assert.NotSame(sessions[0], await inFlight.WaitAsync(Deadline));
    }

    [Fact]
    public async Task GatheringStops_WhenTheCommitInFlightEnds()
    {
        await using var writer = Writer(Forever);
        var (inFlight, release) = await InFlightAsync(writer);
        var waiting = writer.WriteAsync(s => Task.FromResult(s), CancellationToken.None);

        // Fewer units than the gather target and an hour of delay: only the end of the other commit lets it go.
        release.SetResult();
        var first = await inFlight.WaitAsync(Deadline);
        var second = await waiting.WaitAsync(Deadline);

        Assert.NotSame(first, second);
    }

    [Fact]
    public async Task TheGatherDelay_BoundsTheWait_WhileTheOtherCommitStaysInFlight()
    {
        await using var writer = Writer(TimeSpan.FromMilliseconds(1));
        var (inFlight, release) = await InFlightAsync(writer);

        await writer.WriteAsync(s => Task.FromResult(s), CancellationToken.None).WaitAsync(Deadline);

        Assert.False(inFlight.IsCompleted);
        release.SetResult();
        await inFlight.WaitAsync(Deadline);
    }

    [Fact]
    public async Task WithoutAGatherDelay_ASmallBatchCommitsWhileAnotherLaneCommits()
    {
        await using var writer = Writer(TimeSpan.Zero);
        var (inFlight, release) = await InFlightAsync(writer);

        await writer.WriteAsync(s => Task.FromResult(s), CancellationToken.None).WaitAsync(Deadline);

        Assert.False(inFlight.IsCompleted);
        release.SetResult();
        await inFlight.WaitAsync(Deadline);
    }

    private static GroupCommitWriter Writer(TimeSpan gatherDelay) =>
        new(SqlDialect.Sqlite, [new MemoryLane(), new MemoryLane()], maxBatch: 64, gatherDelay: gatherDelay);

    /// <summary>Queues a unit whose work waits until the returned source is completed, and returns once a lane runs it.</summary>
    private static async Task<(Task<DbSession> Committed, TaskCompletionSource Release)> InFlightAsync(GroupCommitWriter writer)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var committed = writer.WriteAsync(async session =>
        {
            started.SetResult();
            await release.Task;
            return session;
        }, CancellationToken.None);
        await started.Task.WaitAsync(Deadline);
        return (committed, release);
    }

    /// <summary>A write lane on a private in-memory SQLite database.</summary>
    private sealed class MemoryLane : WriteLane
    {
        private readonly SqliteConnection _connection = new("Data Source=:memory:");

        public override bool UsesSavepoints => true;

        public override Task<DbTransaction> BeginAsync(CancellationToken cancellationToken)
        {
            if (_connection.State != System.Data.ConnectionState.Open)
            {
                _connection.Open();
            }

            return Task.FromResult<DbTransaction>(_connection.BeginTransaction());
        }

        public override bool IsTransient(Exception exception) => false;

        public override async ValueTask DisposeAsync() => await _connection.DisposeAsync();
    }
}
