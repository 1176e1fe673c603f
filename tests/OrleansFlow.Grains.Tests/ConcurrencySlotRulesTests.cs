using OrleansFlow.Grains.ConcurrencyLimits;

namespace OrleansFlow.Grains.Tests;

public sealed class ConcurrencySlotRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly HashSet<Guid> None = [];

    private static LeasedConcurrencyLimit Leased(int limit, params (Guid Holder, DateTimeOffset Until)[] holders) =>
        new(new ConcurrencyLimit { Id = Guid.NewGuid(), Tag = "db", Limit = limit, ActiveSlots = [.. holders.Select(h => h.Holder)] },
            holders.ToDictionary(h => h.Holder, h => h.Until), 7);

    [Fact]
    public void Acquire_FreeSlot_TakesItUnderANewLease()
    {
        var run = Guid.NewGuid();

        var (changed, acquired, wasHeld) = ConcurrencySlotRules.Acquire(Leased(2), run, Now, Lease, None, None);

        Assert.True(acquired);
        Assert.False(wasHeld);
        Assert.Equal([run], changed!.Limit.ActiveSlots);
        Assert.Equal(Now + Lease, changed.Leases[run]);
        Assert.Equal(7, changed.Version);
    }

    [Fact]
    public void Acquire_Full_RefusesAndChangesNothing()
    {
        var holder = Guid.NewGuid();

        var (changed, acquired, _) = ConcurrencySlotRules.Acquire(Leased(1, (holder, Now + Lease)), Guid.NewGuid(), Now, Lease, None, None);

        Assert.False(acquired);
        Assert.Null(changed);
    }

    [Fact]
    public void Acquire_HeldAlready_CountsAsHeldAndRenewsTheLease()
    {
        var run = Guid.NewGuid();

        var (changed, acquired, wasHeld) = ConcurrencySlotRules.Acquire(Leased(1, (run, Now - Lease)), run, Now, Lease, None, None);

        Assert.True(acquired);
        Assert.True(wasHeld);
        Assert.Equal([run], changed!.Limit.ActiveSlots);
        Assert.Equal(Now + Lease, changed.Leases[run]);
    }

    [Fact]
    public void Acquire_FullWithAnExpiredHolderFoundNotRunning_ReclaimsItsSlot()
    {
        var gone = Guid.NewGuid();
        var run = Guid.NewGuid();

        var (changed, acquired, _) = ConcurrencySlotRules.Acquire(Leased(1, (gone, Now - TimeSpan.FromSeconds(1))), run, Now, Lease, new HashSet<Guid> { gone }, None);

        Assert.True(acquired);
        Assert.Equal([run], changed!.Limit.ActiveSlots);
        Assert.False(changed.Leases.ContainsKey(gone));
    }

    [Fact]
    public void Acquire_HolderFoundNotRunningButItsLeaseRenewedSince_KeepsItsSlot()
    {
        var holder = Guid.NewGuid();

        var (changed, acquired, _) = ConcurrencySlotRules.Acquire(Leased(1, (holder, Now + Lease)), Guid.NewGuid(), Now, Lease, new HashSet<Guid> { holder }, None);

        Assert.False(acquired);
        Assert.Null(changed);
    }

    [Fact]
    public void Acquire_ExpiredHolderFoundRunning_KeepsItsSlotUnderANewLease()
    {
        var holder = Guid.NewGuid();

        var (changed, acquired, _) = ConcurrencySlotRules.Acquire(Leased(1, (holder, Now - Lease)), Guid.NewGuid(), Now, Lease, None, new HashSet<Guid> { holder });

        Assert.False(acquired);
        Assert.Equal([holder], changed!.Limit.ActiveSlots);
        Assert.Equal(Now + Lease, changed.Leases[holder]);
    }

    [Fact]
    public void Acquire_ZeroLimit_GrantsNothing()
    {
        var (changed, acquired, _) = ConcurrencySlotRules.Acquire(Leased(0), Guid.NewGuid(), Now, Lease, None, None);

        Assert.False(acquired);
        Assert.Null(changed);
    }

    [Fact]
    public void Release_Holder_GivesBackItsSlotAndLease_NonHolderChangesNothing()
    {
        var holder = Guid.NewGuid();
        var other = Guid.NewGuid();
        var limit = Leased(2, (holder, Now + Lease), (other, Now + Lease));

        var released = ConcurrencySlotRules.Release(limit, [holder], Now);

        Assert.Equal([other], released!.Limit.ActiveSlots);
        Assert.False(released.Leases.ContainsKey(holder));
        Assert.Null(ConcurrencySlotRules.Release(limit, [Guid.NewGuid()], Now));
    }

    [Fact]
    public void Reset_ReplacesTheHoldersEachUnderAFreshLease()
    {
        var a = Guid.NewGuid();
        var limit = Leased(3, (Guid.NewGuid(), Now));

        var reset = ConcurrencySlotRules.Reset(limit, [a, a], Now, Lease);

        Assert.Equal([a], reset.Limit.ActiveSlots);
        Assert.Equal(Now + Lease, reset.Leases[a]);
    }

    [Fact]
    public void ExpiredHolders_AHolderWithoutALease_CountsAsExpired()
    {
        var unleased = Guid.NewGuid();
        var leased = Guid.NewGuid();
        var limit = new LeasedConcurrencyLimit(
            new ConcurrencyLimit { Id = Guid.NewGuid(), Tag = "db", Limit = 2, ActiveSlots = [unleased, leased] },
            new Dictionary<Guid, DateTimeOffset> { [leased] = Now + Lease }, 1);

        Assert.Equal([unleased], limit.ExpiredHolders(Now));
    }
}
