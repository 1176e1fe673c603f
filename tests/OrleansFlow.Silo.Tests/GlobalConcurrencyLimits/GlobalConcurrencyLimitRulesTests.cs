using OrleansFlow.Silo.GlobalConcurrencyLimits;

namespace OrleansFlow.Silo.Tests.GlobalConcurrencyLimits;

public sealed class GlobalConcurrencyLimitRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    private static GlobalConcurrencyLimit Limit(int limit, double active, double decay = 0, double denied = 0, double occupancy = 2.0) => new()
    {
        Id = Guid.NewGuid(), Name = "l", Limit = limit, ActiveSlots = active, DeniedSlots = denied, SlotDecayPerSecond = decay,
        AvgSlotOccupancySeconds = occupancy, Created = T0, Updated = T0,
    };

    [Fact]
    public void Decay_RateLimit_FreesSlotsContinuouslyAndNeverBelowZero()
    {
        var half = GlobalConcurrencyLimitRules.Decay(Limit(5, 3, decay: 2), T0.AddSeconds(0.75));
        var gone = GlobalConcurrencyLimitRules.Decay(Limit(5, 3, decay: 2), T0.AddSeconds(10));

        Assert.Equal(1.5, half.ActiveSlots, 9);
        Assert.Equal(T0.AddSeconds(0.75), half.Updated);
        Assert.Equal(0, gone.ActiveSlots);
    }

    [Fact]
    public void Decay_ConcurrencyLimit_KeepsActiveSlotsAndDecaysDeniedByAverageOccupancy()
    {
        var later = GlobalConcurrencyLimitRules.Decay(Limit(2, 2, denied: 3, occupancy: 2.0), T0.AddSeconds(4));

        Assert.Equal(2, later.ActiveSlots);
        Assert.Equal(1, later.DeniedSlots, 9);
    }

    [Theory]
    [InlineData(1.0, 1, true)]
    [InlineData(1.5, 1, false)]
    [InlineData(0.0, 2, true)]
    [InlineData(0.0, 3, false)]
    public void Fits_ComparesDecayedSlotsWithTheLimit(double active, int slots, bool fits) =>
        Assert.Equal(fits, GlobalConcurrencyLimitRules.Fits(Limit(2, active), slots));

    [Fact]
    public void Shown_PartlyDecayedSlot_IsStillOccupied()
    {
        Assert.Equal(2, GlobalConcurrencyLimitRules.Shown(1.2));
        Assert.Equal(1, GlobalConcurrencyLimitRules.Shown(1.0));
        Assert.Equal(0, GlobalConcurrencyLimitRules.Shown(0));
    }

    [Fact]
    public void Release_WithOccupancy_MovesTheAverageOneLimitTimesTwoThToward()
    {
        var released = GlobalConcurrencyLimitRules.Release(Limit(2, 2), 1, occupancySeconds: 6.0);
        var tiny = GlobalConcurrencyLimitRules.Release(Limit(1, 5), 10, occupancySeconds: 0.01);

        Assert.Equal(1, released.ActiveSlots);
        Assert.Equal(2.0 + (6.0 / 4) - (2.0 / 4), released.AvgSlotOccupancySeconds, 9);
        Assert.Equal(0, tiny.ActiveSlots);
        // 0.001 s per slot counts as the 0.1 s minimum.
        Assert.Equal(2.0 + (0.1 / 2) - (2.0 / 2), tiny.AvgSlotOccupancySeconds, 9);
    }

    [Fact]
    public void RetryAfter_TakesTheMostBlockingLimit()
    {
        var concurrency = Limit(4, 4, denied: 2, occupancy: 3.0);
        var rate = Limit(10, 10, decay: 0.5, denied: 1);

        // concurrency: (1 + 2) / 4 slots = 0.75 blocking; rate: 1 + 1 = 2 blocking, each freed in 1 / 0.5 = 2 s.
        Assert.Equal(4.0, GlobalConcurrencyLimitRules.RetryAfterSeconds([concurrency, rate], 1), 9);
        Assert.Equal(2.25, GlobalConcurrencyLimitRules.RetryAfterSeconds([concurrency], 1), 9);
    }

    [Fact]
    public void RetryAfterSeconds_TinyDecay_IsAtMostADay()
    {
        var crawling = Limit(1, 1, decay: 1e-300, denied: 0);

        Assert.Equal(GlobalConcurrencyLimitRules.MaxRetryAfterSeconds, GlobalConcurrencyLimitRules.RetryAfterSeconds([crawling], 1));
        Assert.Equal(86_400, GlobalConcurrencyLimitRules.MaxRetryAfterSeconds);
    }
}
