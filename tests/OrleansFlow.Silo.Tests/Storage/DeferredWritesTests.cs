using Npgsql;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Storage;

/// <summary>On PostgreSQL the units of a group commit queue their expected writes (<see cref="SqlCommand.ExecuteExpectingAsync"/>),
/// and the session sends them in one round trip before the next statement that answers, or before the commit. On a real
/// PostgreSQL server through <see cref="PostgresDatabase"/> with one write lane; the batch is made by holding the lane with
/// a unit that waits for the test while the others queue up.</summary>
public sealed class DeferredWritesTests : IAsyncLifetime
{
    private PostgresTestDatabase _server = null!;
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.CreateDatabaseAsync();
        _database = new PostgresDatabase(new DatabaseOptions { DatabaseUrl = _server.Url, WriteLanes = 1 });
        await _database.WriteAsync(async s =>
        {
            await s.Text("CREATE TABLE counters (id integer PRIMARY KEY, version integer NOT NULL)").ExecuteAsync(CancellationToken.None);
            await s.Text("CREATE TABLE counter_log (id integer NOT NULL, version integer NOT NULL)").ExecuteAsync(CancellationToken.None);
            return await s.Text("INSERT INTO counters SELECT i, 0 FROM generate_series(0, 9) AS i").ExecuteAsync(CancellationToken.None);
        }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public void Split_CutsAtTheEndsOfStatements_NotInCommentsOrQuotes_AndNamesEachPartsParameters()
    {
        var parts = SqlPart.Split(
            "-- Makes a row; then logs it.\nUPDATE t SET v = @v, note = 'a;b' WHERE id = @id AND \"odd;name\" = @odd_1;\n" +
            "/* second; */ INSERT INTO log (id, v) SELECT @id, @v WHERE EXISTS (SELECT 1 FROM t WHERE id = @id);\n  -- trailing; comment\n");

        Assert.Equal(2, parts.Length);
        Assert.StartsWith("-- Makes a row; then logs it.\nUPDATE t SET", parts[0].Sql, StringComparison.Ordinal);
        Assert.EndsWith("= @odd_1", parts[0].Sql, StringComparison.Ordinal);
        Assert.Equal(["id", "odd_1", "v"], parts[0].Names.Order());
        Assert.StartsWith("/* second; */ INSERT", parts[1].Sql, StringComparison.Ordinal);
        Assert.Equal(["id", "v"], parts[1].Names.Order());
        Assert.Single(SqlPart.Split("SELECT 1"));
    }

    [Fact]
    public async Task QueuedWrites_WaitUntilTheNextStatementThatAnswers_AndCommitWithTheirBatch()
    {
        var (held, release) = await HeldLane.HoldAsync(_database, s => Bump(s, 9, fromVersion: 0));
        var runs = new int[4];
        var units = HeldLane.Queue(_database, runs, async (session, i) =>
        {
            var expected = await Bump(session, i, fromVersion: 0);
            // Read past the session: the update is still queued, in this process, not yet in the transaction.
            var before = await VersionPastTheSessionAsync(session, i);
            // A statement of the session sends what is queued first, so it sees the unit's own write.
            var after = await session.Text("SELECT version FROM counters WHERE id = @id").Add("id", i).CountAsync(CancellationToken.None);
            return (expected, before, after, session.Transaction);
        });
        release.SetResult();
        await held.WaitAsync(HeldLane.Deadline);

        var results = await Task.WhenAll(units).WaitAsync(HeldLane.Deadline);
        Assert.All(results, r => Assert.Equal((2, 0L, 1L), (r.expected, r.before, r.after)));
        Assert.Single(results.Select(r => r.Transaction).Distinct());
        Assert.All(runs, count => Assert.Equal(1, count));
        Assert.Equal([(0, 1), (1, 1), (2, 1), (3, 1), (9, 1)], await LogAsync());
    }

    [Fact]
    public async Task AQueuedWriteThatDoesNotDoWhatItsUnitExpected_FailsTheBatch_AndEveryUnitRunsAgainAlone_WhereItAnswersAtOnce()
    {
        var (held, release) = await HeldLane.HoldAsync(_database, s => Bump(s, 9, fromVersion: 0));
        var runs = new int[4];
        var answers = new List<int>[4];
        var units = HeldLane.Queue(_database, runs, async (session, i) =>
        {
            // Unit 2 expects a version the row does not have: its update and its log row affect nothing.
            var affected = await Bump(session, i, fromVersion: i == 2 ? 5 : 0);
            lock (runs)
            {
                (answers[i] ??= []).Add(affected);
            }

            return session.Transaction;
        });
        release.SetResult();
        await held.WaitAsync(HeldLane.Deadline);

        await Task.WhenAll(units).WaitAsync(HeldLane.Deadline);
        // First in one batch, where every write was queued and answered as expected; then each alone, where unit 2 learns
        // that its write did nothing.
        Assert.All(runs, count => Assert.Equal(2, count));
        Assert.Equal([2, 0], answers[2]);
        Assert.All(new[] { 0, 1, 3 }, i => Assert.Equal([2, 2], answers[i]));
        Assert.Equal([(0, 1), (1, 1), (3, 1), (9, 1)], await LogAsync());
    }

    [Fact]
    public async Task AUnitThatCatchesTheFailureOfAQueuedWrite_CannotLetItsBatchCommit()
    {
        var (held, release) = await HeldLane.HoldAsync(_database, s => Bump(s, 9, fromVersion: 0));
        var answers = new List<int>[2];
        var caught = 0;
        var first = _database.WriteAsync(async session =>
        {
            // Expects a version the row does not have.
            var affected = await Bump(session, 0, fromVersion: 5);
            lock (answers)
            {
                (answers[0] ??= []).Add(affected);
            }

            return affected;
        }, CancellationToken.None);
        var second = _database.WriteAsync(async session =>
        {
            var affected = await Bump(session, 1, fromVersion: 0);
            try
            {
                // Sends what is queued: the first unit's write fails its check here, inside this unit, which swallows it.
                await session.Text("SELECT version FROM counters WHERE id = 1").CountAsync(CancellationToken.None);
            }
            catch (DeferredWriteMismatchException)
            {
                Interlocked.Increment(ref caught);
            }

            lock (answers)
            {
                (answers[1] ??= []).Add(affected);
            }

            return affected;
        }, CancellationToken.None);
        release.SetResult();
        await held.WaitAsync(HeldLane.Deadline);

        await Task.WhenAll(first, second).WaitAsync(HeldLane.Deadline);
        Assert.Equal(1, caught);
        // The batch did not commit: both units ran again alone, and the first learnt that its write did nothing.
        Assert.Equal([2, 0], answers[0]);
        Assert.Equal([2, 2], answers[1]);
        Assert.Equal([(1, 1), (9, 1)], await LogAsync());
    }

    /// <summary>Moves counter <paramref name="id"/> from <paramref name="fromVersion"/> to the next and logs it, in one
    /// text of two statements (as the run transitions are): 2 rows when the version matched.</summary>
    private static async Task<int> Bump(DbSession session, int id, int fromVersion)
    {
        await using var command = session.Text(
            "UPDATE counters SET version = version + 1 WHERE id = @id AND version = @from;\n" +
            "INSERT INTO counter_log (id, version) SELECT id, version FROM counters WHERE id = @id AND version = @from + 1")
            .Add("id", id).Add("from", fromVersion);
        return await command.ExecuteExpectingAsync(2, CancellationToken.None);
    }

    private static async Task<long> VersionPastTheSessionAsync(DbSession session, int id)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM counters WHERE id = @id",
            (NpgsqlConnection)session.Connection, (NpgsqlTransaction)session.Transaction!);
        command.Parameters.AddWithValue("id", id);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private Task<List<(int, int)>> LogAsync() =>
        _database.ReadAsync(s => s.Text("SELECT id, version FROM counter_log ORDER BY id")
            .ListAsync(r => (r.GetInt32(0), r.GetInt32(1)), CancellationToken.None), CancellationToken.None);
}
