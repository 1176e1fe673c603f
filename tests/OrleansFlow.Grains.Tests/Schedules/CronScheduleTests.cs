using OrleansFlow.Grains.Schedules;

namespace OrleansFlow.Grains.Tests.Schedules;

public sealed class CronScheduleTests
{
    private static readonly TimeZoneInfo NewYork = DeploymentSchedule.FindZone("America/New_York");

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0, int year = 2026) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private static List<DateTimeOffset> Take(DeploymentSchedule schedule, DateTimeOffset after, int count)
    {
        var times = new List<DateTimeOffset>();
        for (var cursor = after; times.Count < count && schedule.Next(cursor) is { } next; cursor = next)
        {
            times.Add(next);
        }

        return times;
    }

    [Fact]
    public void Next_EveryFifteenMinutesUtc_FiresOnTheQuarterHours()
    {
        var schedule = new CronSchedule(CronExpression.Parse("*/15 * * * *"), TimeZoneInfo.Utc);

        Assert.Equal([Utc(1, 1, 10, 15), Utc(1, 1, 10, 30), Utc(1, 1, 10, 45), Utc(1, 1, 11)], Take(schedule, Utc(1, 1, 10, 7), 4));
    }

    [Fact]
    public void Next_ExactlyOnAFiringTime_ReturnsTheFollowingOne()
    {
        var schedule = new CronSchedule(CronExpression.Parse("0 * * * *"), TimeZoneInfo.Utc);

        Assert.Equal(Utc(1, 1, 11), schedule.Next(Utc(1, 1, 10)));
    }

    [Fact]
    public void Next_SpringForwardSkipsTheMissingWallClockTime()
    {
        // 2026-03-08 02:30 does not exist in New York.
        var schedule = new CronSchedule(CronExpression.Parse("30 2 * * *"), NewYork);

        Assert.Equal([Utc(3, 7, 7, 30), Utc(3, 9, 6, 30), Utc(3, 10, 6, 30)], Take(schedule, Utc(3, 6, 12), 3));
    }

    [Fact]
    public void Next_FallBackFiresAnAmbiguousTimeOnceAtItsFirstOccurrence()
    {
        // 2026-11-01 01:30 happens twice in New York: at 05:30Z (EDT) and 06:30Z (EST).
        var schedule = new CronSchedule(CronExpression.Parse("30 1 * * *"), NewYork);

        Assert.Equal([Utc(10, 31, 5, 30), Utc(11, 1, 5, 30), Utc(11, 2, 6, 30)], Take(schedule, Utc(10, 30, 12), 3));
    }

    [Fact]
    public void Next_HourlyAcrossFallBack_KeepsOneHourSpacingInUtc()
    {
        var schedule = new CronSchedule(CronExpression.Parse("0 * * * *"), NewYork);

        var times = Take(schedule, Utc(11, 1, 4, 30), 4);

        // 01:00 EDT (05:00Z), then 01:00 EST would repeat the wall time and is not fired; 02:00 EST is 07:00Z.
        Assert.Equal([Utc(11, 1, 5), Utc(11, 1, 7), Utc(11, 1, 8), Utc(11, 1, 9)], times);
    }

    [Fact]
    public void Next_BothDayFieldsRestricted_MatchesEitherDay()
    {
        // The 13th of the month OR any Friday.
        var schedule = new CronSchedule(CronExpression.Parse("0 12 13 * FRI"), TimeZoneInfo.Utc);

        Assert.Equal([Utc(2, 6, 12), Utc(2, 13, 12), Utc(2, 20, 12), Utc(2, 27, 12), Utc(3, 6, 12), Utc(3, 13, 12)], Take(schedule, Utc(2, 1, 0), 6));
    }

    [Fact]
    public void Next_BothDayFieldsRestrictedWithDayOrFalse_MatchesBothDays()
    {
        // Friday the 13th only.
        var schedule = new CronSchedule(CronExpression.Parse("0 12 13 * 5", dayOr: false), TimeZoneInfo.Utc);

        Assert.Equal([Utc(2, 13, 12), Utc(3, 13, 12), Utc(11, 13, 12)], Take(schedule, Utc(1, 1, 0), 3));
    }

    [Fact]
    public void Next_OneDayFieldStar_UsesTheOtherOnly()
    {
        var schedule = new CronSchedule(CronExpression.Parse("0 9 * * 1-5"), TimeZoneInfo.Utc);

        // 2026-01-03 is a Saturday.
        Assert.Equal([Utc(1, 5, 9), Utc(1, 6, 9)], Take(schedule, Utc(1, 3, 0), 2));
    }

    [Theory]
    [InlineData("@daily", 1, 2, 0)]
    [InlineData("0 0 1 JAN,jul *", 7, 1, 0)]
    [InlineData("5,10-12/2 3 * * 7", 1, 4, 3)]
    public void Parse_ListsRangesNamesAndAliases_NextAsCron(string expression, int month, int day, int hour)
    {
        var next = new CronSchedule(CronExpression.Parse(expression), TimeZoneInfo.Utc).Next(Utc(1, 1, 12));

        Assert.Equal(month, next!.Value.Month);
        Assert.Equal(day, next.Value.Day);
        Assert.Equal(hour, next.Value.Hour);
    }

    [Theory]
    [InlineData("* * * *")]
    [InlineData("60 * * * *")]
    [InlineData("* 24 * * *")]
    [InlineData("* * 0 * *")]
    [InlineData("* * * 13 *")]
    [InlineData("*/0 * * * *")]
    [InlineData("5-1 * * * *")]
    [InlineData("a * * * *")]
    public void Parse_InvalidExpression_ThrowsFormatException(string expression) =>
        Assert.Throws<FormatException>(() => CronExpression.Parse(expression));

    [Fact]
    public void Next_ImpossibleDate_ReturnsNull() =>
        Assert.Null(new CronSchedule(CronExpression.Parse("0 0 31 2 *"), TimeZoneInfo.Utc).Next(Utc(1, 1, 0)));
}
