using System.Text.Json;
using OrleansFlow.Grains.Schedules;

namespace OrleansFlow.Grains.Tests.Schedules;

public sealed class IntervalScheduleTests
{
    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Next_HourlyFromAnchor_StepsFromTheAnchorNotFromNow()
    {
        var schedule = new IntervalSchedule(TimeSpan.FromHours(1), Utc(1, 1, 0, 20), TimeZoneInfo.Utc);

        Assert.Equal(Utc(5, 1, 10, 20), schedule.Next(Utc(5, 1, 9, 59)));
        Assert.Equal(Utc(5, 1, 11, 20), schedule.Next(Utc(5, 1, 10, 20)));
    }

    [Fact]
    public void Next_AnchorInTheFuture_StepsBackToIt()
    {
        var schedule = new IntervalSchedule(TimeSpan.FromMinutes(30), Utc(6, 1, 0), TimeZoneInfo.Utc);

        Assert.Equal(Utc(5, 31, 23, 30), schedule.Next(Utc(5, 31, 23, 10)));
    }

    [Fact]
    public void Next_DailyInTimeZoneAcrossSpringForward_KeepsTheWallClockTime()
    {
        var newYork = DeploymentSchedule.FindZone("America/New_York");
        // 09:00 EST is 14:00Z; after 2026-03-08, 09:00 EDT is 13:00Z.
        var schedule = new IntervalSchedule(TimeSpan.FromDays(1), Utc(1, 1, 14), newYork);

        Assert.Equal(Utc(3, 7, 14), schedule.Next(Utc(3, 7, 0)));
        Assert.Equal(Utc(3, 8, 13), schedule.Next(Utc(3, 7, 14)));
        Assert.Equal(Utc(3, 9, 13), schedule.Next(Utc(3, 8, 13)));
    }

    [Fact]
    public void Upcoming_HourlyInterval_AtLeastThreeRunsAndOneHourAhead()
    {
        var schedule = new IntervalSchedule(TimeSpan.FromMinutes(10), Utc(1, 1, 0), TimeZoneInfo.Utc);

        var times = ScheduleRules.Upcoming(schedule, Utc(5, 1, 0));

        Assert.Equal(Enumerable.Range(1, 6).Select(i => Utc(5, 1, 0).AddMinutes(10 * i)), times);
    }

    [Fact]
    public void Upcoming_DailyInterval_ThreeRunsEvenBeyondAnHour()
    {
        var schedule = new IntervalSchedule(TimeSpan.FromDays(1), Utc(1, 1, 0), TimeZoneInfo.Utc);

        Assert.Equal([Utc(5, 2, 0), Utc(5, 3, 0), Utc(5, 4, 0)], ScheduleRules.Upcoming(schedule, Utc(5, 1, 12)));
    }

    [Fact]
    public void Upcoming_EverySecond_CappedAtOneHundredRuns()
    {
        var schedule = new IntervalSchedule(TimeSpan.FromSeconds(1), Utc(1, 1, 0), TimeZoneInfo.Utc);

        Assert.Equal(ScheduleRules.MaxRuns, ScheduleRules.Upcoming(schedule, Utc(5, 1, 0)).Count);
    }

    [Fact]
    public void Upcoming_YearlyCron_NothingBeyondOneHundredDays()
    {
        var schedule = new CronSchedule(CronExpression.Parse("0 0 1 1 *"), TimeZoneInfo.Utc);

        Assert.Empty(ScheduleRules.Upcoming(schedule, Utc(5, 1, 0)));
    }

    [Theory]
    [InlineData("""{"interval": 3600, "anchor_date": "2026-01-01T00:00:00Z", "timezone": "UTC"}""", typeof(IntervalSchedule))]
    [InlineData("""{"interval": 60.5}""", typeof(IntervalSchedule))]
    [InlineData("""{"cron": "0 * * * *", "timezone": "Europe/Paris", "day_or": false}""", typeof(CronSchedule))]
    public void Parse_PrefectShapes_GivesTheSchedule(string json, Type expected) =>
        Assert.IsType(expected, ScheduleRules.Parse(JsonDocument.Parse(json).RootElement));

    [Theory]
    [InlineData("""{"interval": 0}""")]
    [InlineData("""{"interval": "soon"}""")]
    [InlineData("""{"cron": "0 * * *"}""")]
    [InlineData("""{"cron": "0 * * * *", "timezone": "Mars/Olympus"}""")]
    [InlineData("""{"rrule": "FREQ=FORTNIGHTLY"}""")]
    [InlineData("""{"every": 5}""")]
    [InlineData("""[1]""")]
    public void Parse_InvalidSchedule_ThrowsFormatException(string json) =>
        Assert.Throws<FormatException>(() => ScheduleRules.Parse(JsonDocument.Parse(json).RootElement));

    [Fact]
    public void IdempotencyKey_AsPrefect_DeploymentAndIsoTime()
    {
        var id = Guid.Parse("14e56b0d-e7aa-499a-8f82-ba5c28539e2f");

        Assert.Equal("scheduled 14e56b0d-e7aa-499a-8f82-ba5c28539e2f 2026-03-07T07:30:00+00:00", ScheduleRules.IdempotencyKey(id, Utc(3, 7, 7, 30)));
    }
}
