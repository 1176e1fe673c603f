using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Tests.Reminders;

/// <summary>What Orleans needs of a reminder table, checked on each table OrleansFlow keeps reminders in: its own
/// <see cref="Silo.Reminders.SqliteReminderTable"/> on SQLite, and Microsoft.Orleans.Reminders.AdoNet's table over
/// migration 0011 on PostgreSQL (so a statement there that breaks the contract fails here). Each test opens a fresh
/// database.</summary>
public abstract class ReminderTableContract : IAsyncLifetime
{
    private const string ServiceId = "contract";
    private static readonly DateTime Start = new(2030, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);
    private OrleansFlowSilo _silo = null!;

    /// <summary>The table under test.</summary>
    protected IReminderTable Table { get; private set; } = null!;

    /// <summary>A fresh database.</summary>
    protected abstract Task<DatabaseOptions> NewDatabaseAsync();

    /// <summary>The table kept in <paramref name="silo"/>'s database, started, for <paramref name="serviceId"/>.</summary>
    protected abstract Task<IReminderTable> OpenTableAsync(OrleansFlowSilo silo, DatabaseOptions database, string serviceId);

    /// <summary>Drops what <see cref="NewDatabaseAsync"/> made.</summary>
    protected abstract ValueTask DisposeDatabaseAsync();

    public async Task InitializeAsync()
    {
        var database = await NewDatabaseAsync();
        _silo = await OrleansFlowSilo.OpenAsync(database);
        Table = await OpenTableAsync(_silo, database, ServiceId);
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await DisposeDatabaseAsync();
    }

    [Fact]
    public async Task Upsert_NewThenChanged_ReadsBackWithANewETagEachTime()
    {
        var grain = NewGrain();

        var first = await Table.UpsertRow(Entry(grain, "a", TimeSpan.FromMinutes(1)));
        var read = await Table.ReadRow(grain, "a");

        Assert.NotNull(first);
        Assert.NotNull(read);
        Assert.Equal((grain, "a", Start, TimeSpan.FromMinutes(1), first), (read.GrainId, read.ReminderName, read.StartAt, read.Period, read.ETag));
        Assert.Equal(DateTimeKind.Utc, read.StartAt.Kind);

        var second = await Table.UpsertRow(Entry(grain, "a", TimeSpan.FromHours(2), Start.AddDays(1)));
        Assert.NotEqual(first, second);
        read = await Table.ReadRow(grain, "a");
        Assert.Equal((Start.AddDays(1), TimeSpan.FromHours(2), second), (read!.StartAt, read.Period, read.ETag));
        Assert.Null(await Table.ReadRow(grain, "b"));
        Assert.Null(await Table.ReadRow(NewGrain(), "a"));
    }

    [Fact]
    public async Task Remove_WithAStaleETag_RemovesNothing_WithTheCurrentOneRemovesTheRowOnce()
    {
        var grain = NewGrain();
        var stale = await Table.UpsertRow(Entry(grain, "a"));
        var current = await Table.UpsertRow(Entry(grain, "a"));

        Assert.False(await Table.RemoveRow(grain, "a", stale!));
        Assert.NotNull(await Table.ReadRow(grain, "a"));
        Assert.False(await Table.RemoveRow(grain, "b", current!));
        Assert.True(await Table.RemoveRow(grain, "a", current!));
        Assert.Null(await Table.ReadRow(grain, "a"));
        Assert.False(await Table.RemoveRow(grain, "a", current!));

        // A reminder registered again after its removal is a new row.
        Assert.NotNull(await Table.UpsertRow(Entry(grain, "a")));
        Assert.NotNull(await Table.ReadRow(grain, "a"));
    }

    [Fact]
    public async Task ReadRows_OfAGrain_ListsItsRemindersOnly()
    {
        var grain = NewGrain();
        var other = NewGrain();
        await Table.UpsertRow(Entry(grain, "a"));
        await Table.UpsertRow(Entry(grain, "b"));
        await Table.UpsertRow(Entry(other, "a"));

        var rows = (await Table.ReadRows(grain)).Reminders;

        Assert.Equal(["a", "b"], rows.Select(r => r.ReminderName).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(grain, r.GrainId));
        Assert.Empty((await Table.ReadRows(NewGrain())).Reminders);
    }

    [Fact]
    public async Task ReadRows_OfAHashRange_ExcludesBeginIncludesEndAndWrapsAroundTheRing()
    {
        // Grains on both halves of the ring (the AdoNet table keeps hashes as signed integers, so both must work).
        var low = GrainWithHash(h => h < 0x4000_0000);
        var midLow = GrainWithHash(h => h is >= 0x4000_0000 and < 0x8000_0000);
        var midHigh = GrainWithHash(h => h is >= 0x8000_0000 and < 0xC000_0000);
        var high = GrainWithHash(h => h >= 0xC000_0000);
        GrainId[] all = [low, midLow, midHigh, high];
        foreach (var grain in all)
        {
            await Table.UpsertRow(Entry(grain, "r"));
        }

        var (l, ml, mh, h) = (Hash(low), Hash(midLow), Hash(midHigh), Hash(high));

        // (begin, end] without a wrap, within one half and across the middle of the ring.
        Assert.Equal([midLow], await InRangeAsync(l, ml));
        Assert.Equal([midLow, midHigh], await InRangeAsync(l, mh));
        Assert.Equal([midHigh, high], await InRangeAsync(ml, h));
        Assert.Equal([midLow, midHigh, high], await InRangeAsync(l, uint.MaxValue));
        Assert.Equal([low, midLow], await InRangeAsync(0, ml));

        // begin after end: the range wraps around, above begin or up to end.
        Assert.Equal([low, high], await InRangeAsync(mh, l));
        Assert.Equal([low, midLow, high], await InRangeAsync(mh, ml));
        Assert.Equal([low, midHigh, high], await InRangeAsync(ml, l));
        Assert.Equal([low], await InRangeAsync(h, l));

        // begin equal to end: the whole ring.
        Assert.Equal(all, await InRangeAsync(ml, ml));

        Task<GrainId[]> InRangeAsync(uint begin, uint end) => ReadRangeAsync(begin, end, all);
    }

    [Fact]
    public async Task TestOnlyClearTable_RemovesThisServicesRows()
    {
        var grain = NewGrain();
        await Table.UpsertRow(Entry(grain, "a"));
        await Table.UpsertRow(Entry(NewGrain(), "a"));

        await Table.TestOnlyClearTable();

        Assert.Empty((await Table.ReadRows(0, 0)).Reminders);
        Assert.Null(await Table.ReadRow(grain, "a"));
    }

    private async Task<GrainId[]> ReadRangeAsync(uint begin, uint end, GrainId[] order)
    {
        var found = (await Table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId).ToHashSet();
        return [.. order.Where(found.Contains)];
    }

    private static uint Hash(GrainId grain) => grain.GetUniformHashCode();

    private static GrainId NewGrain() => GrainId.Create("contract", Guid.NewGuid().ToString("N"));

    private static GrainId GrainWithHash(Func<uint, bool> fits)
    {
        while (true)
        {
            var grain = NewGrain();
            if (fits(Hash(grain)))
            {
                return grain;
            }
        }
    }

    private static ReminderEntry Entry(GrainId grain, string name, TimeSpan? period = null, DateTime? start = null) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = start ?? Start,
        Period = period ?? TimeSpan.FromMinutes(1),
    };
}
