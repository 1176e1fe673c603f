using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Tests.Storage;

/// <summary>A batch runs first with no savepoint per unit; when a unit fails, it runs again with one, so the failing unit
/// rolls back alone and the others commit together. On a real SQLite file through <see cref="SqliteDatabase"/>'s one
/// writer lane. The batch is made by holding the lane with a unit that waits for the test while the others queue up.</summary>
public sealed class GroupCommitWriterFailureTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "orleansflow-gcw-" + Guid.NewGuid().ToString("N"));
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = new SqliteDatabase(Path.Combine(_folder, "writes.db"));
        await _database.WriteAsync(
            s => s.Text("CREATE TABLE writes (name TEXT PRIMARY KEY)").ExecuteAsync(CancellationToken.None), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AFailingUnit_RollsBackAlone_AndTheOthersOfItsBatchCommitInOneTransaction()
    {
        var (held, release) = await HeldLane.HoldAsync(_database, s => Insert(s, "held"));
        var runs = new int[5];
        var units = HeldLane.Queue(_database, runs, async (session, i) =>
        {
            await Insert(session, "unit-" + i);
            // Unit 2 wrote its row before failing: the row must not survive.
            return i == 2 ? throw new InvalidOperationException("unit 2 refuses") : session.Transaction;
        });
        release.SetResult();
        await held.WaitAsync(HeldLane.Deadline);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => units[2].WaitAsync(HeldLane.Deadline));
        Assert.Equal("unit 2 refuses", failure.Message);
        var transactions = await Task.WhenAll(units.Where((_, i) => i != 2)).WaitAsync(HeldLane.Deadline);
        Assert.Single(transactions.Distinct());
        // The batch ran without savepoints up to unit 2, which rolled it back, then again with a savepoint per unit.
        Assert.Equal([2, 2, 2, 1, 1], runs);
        Assert.Equal(["held", "unit-0", "unit-1", "unit-3", "unit-4"], await NamesAsync());
    }

    [Fact]
    public async Task ABatchWithNoFailure_RunsEachUnitOnce_InOneTransaction()
    {
        var (held, release) = await HeldLane.HoldAsync(_database, s => Insert(s, "held"));
        var runs = new int[4];
        var units = HeldLane.Queue(_database, runs, async (session, i) =>
        {
            await Insert(session, "unit-" + i);
            return session.Transaction;
        });
        release.SetResult();
        await held.WaitAsync(HeldLane.Deadline);

        Assert.Single((await Task.WhenAll(units).WaitAsync(HeldLane.Deadline)).Distinct());
        Assert.All(runs, count => Assert.Equal(1, count));
        Assert.Equal(["held", "unit-0", "unit-1", "unit-2", "unit-3"], await NamesAsync());
    }

    private static Task<int> Insert(DbSession session, string name) =>
        session.Text("INSERT INTO writes (name) VALUES (@name)").Add("name", name).ExecuteAsync(CancellationToken.None);

    private Task<List<string>> NamesAsync() =>
        _database.ReadAsync(
            s => s.Text("SELECT name FROM writes ORDER BY name").ListAsync(r => r.GetString(0), CancellationToken.None), CancellationToken.None);
}
