using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Fixtures;

public sealed class ManualClockTests
{
    [Fact]
    public void Advance_AndSet_MoveTheTimeOnlyWhenAsked()
    {
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new ManualClock(start);

        var first = clock.GetUtcNow();
        var advanced = clock.Advance(TimeSpan.FromMinutes(90));
        clock.Set(start.AddDays(1));

        Assert.Equal(start, first);
        Assert.Equal(start.AddMinutes(90), advanced);
        Assert.Equal(start.AddDays(1), clock.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, clock.GetUtcNow().Offset);
    }
}
