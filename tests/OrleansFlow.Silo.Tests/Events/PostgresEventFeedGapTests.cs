using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OrleansFlow.Grains.Events;
using OrleansFlow.Silo.Events;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Events;

/// <summary>The feed's ordering on PostgreSQL, where a transaction that took a lower seq can commit after one that took a
/// higher seq: the feed waits at the gap (within its timeout) so events arrive in seq order, and moves past a gap that
/// never fills (a rolled-back insert) once the timeout has passed on the feed's clock.</summary>
public sealed class PostgresEventFeedGapTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private PostgresTestDatabase _postgres = null!;
    private Database _database = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.CreateDatabaseAsync();
        _database = await Database.OpenAsync(_postgres.Options());
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Feed_LowerSeqCommittedLater_IsDeliveredBeforeTheHigherOne()
    {
        var store = new EventStore(_database, _clock);
        await using var feed = new EventFeed(store, _database, _clock, new EventFeedOptions { GapTimeout = TimeSpan.FromSeconds(2) }, NullLogger<EventFeed>.Instance);
        await using var subscription = feed.Subscribe();
        await feed.RunOnceAsync();

        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync();
        await using var slow = await connection.BeginTransactionAsync();
        await InsertRawAsync(connection, slow, "acme.first");           // takes the lower seq, not committed yet
        await store.InsertAsync([NewEvent("acme.second")]);              // takes the higher seq and commits

        var whileOpen = await feed.RunOnceAsync();
        await slow.CommitAsync();
        var afterCommit = await feed.RunOnceAsync();

        Assert.Equal(0, whileOpen);
        Assert.Equal(2, afterCommit);
        var first = await subscription.ReadAsync();
        var second = await subscription.ReadAsync();
        Assert.Equal(("acme.first", "acme.second"), (first!.Event.Name, second!.Event.Name));
        Assert.True(first.Seq < second.Seq);
    }

    [Fact]
    public async Task Feed_GapThatNeverFills_IsSkippedAfterTheTimeout()
    {
        var store = new EventStore(_database, _clock);
        await using var feed = new EventFeed(store, _database, _clock, new EventFeedOptions { GapTimeout = TimeSpan.FromSeconds(2) }, NullLogger<EventFeed>.Instance);
        await using var subscription = feed.Subscribe();
        await feed.RunOnceAsync();

        await using (var connection = new NpgsqlConnection(_postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var lost = await connection.BeginTransactionAsync();
            await InsertRawAsync(connection, lost, "acme.lost");
            await lost.RollbackAsync();                                  // its seq is never used
        }

        await store.InsertAsync([NewEvent("acme.after")]);
        var withinTimeout = await feed.RunOnceAsync();
        _clock.Advance(TimeSpan.FromSeconds(1));
        var stillWithin = await feed.RunOnceAsync();
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        var afterTimeout = await feed.RunOnceAsync();

        Assert.Equal((0, 0, 1), (withinTimeout, stillWithin, afterTimeout));
        Assert.Equal("acme.after", (await subscription.ReadAsync())!.Event.Name);
        Assert.Equal(await store.LastSeqAsync(), feed.Position);
    }

    private static Event NewEvent(string name) => new()
    {
        Id = Guid.NewGuid(),
        Occurred = new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.Zero),
        Name = name,
        Resource = Resource.Of("acme.thing.1"),
    };

    private static async Task InsertRawAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string name)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO events (id, occurred, received, event, resource_id, resource, related) VALUES (@id, now(), now(), @name, 'acme.thing.1', '{\"prefect.resource.id\":\"acme.thing.1\"}', '[]')",
            connection, transaction);
        command.Parameters.AddWithValue("id", Guid.NewGuid());
        command.Parameters.AddWithValue("name", name);
        await command.ExecuteNonQueryAsync();
    }
}
