using System.Globalization;
using System.Text.Json;
using OrleansFlow.Grains.Schedules;

namespace OrleansFlow.Grains.Tests.Schedules;

/// <summary>Expected occurrences were computed with python-dateutil's <c>rrulestr</c> (what Prefect 2 uses).</summary>
public sealed class RRuleScheduleTests
{
    private static readonly DateTimeOffset Before2026 = new(2025, 12, 31, 0, 0, 0, TimeSpan.Zero);

    private static List<string> All(string rule, int max = 10)
    {
        var schedule = RRuleSchedule.Parse(rule, TimeZoneInfo.Utc);
        var times = new List<string>();
        for (var cursor = Before2026; times.Count < max && schedule.Next(cursor) is { } next; cursor = next)
        {
            times.Add(next.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        return times;
    }

    [Theory]
    [InlineData("DTSTART;TZID=America/New_York:20260105T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=5",
        "2026-01-05T14:00:00Z,2026-01-07T14:00:00Z,2026-01-09T14:00:00Z,2026-01-12T14:00:00Z,2026-01-14T14:00:00Z")]
    [InlineData("DTSTART:20260101T100000Z\nRRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=4",
        "2026-01-30T10:00:00Z,2026-02-27T10:00:00Z,2026-03-27T10:00:00Z,2026-04-24T10:00:00Z")]
    [InlineData("DTSTART:20260101T000000Z\nRRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3",
        "2026-01-30T00:00:00Z,2026-02-27T00:00:00Z,2026-03-31T00:00:00Z")]
    [InlineData("DTSTART:20260101T000000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=2",
        "2028-02-29T00:00:00Z,2032-02-29T00:00:00Z")]
    [InlineData("DTSTART:20260101T080000Z\nRRULE:FREQ=DAILY;INTERVAL=2;BYHOUR=8,20;BYMINUTE=15;UNTIL=20260105T000000Z",
        "2026-01-01T08:15:00Z,2026-01-01T20:15:00Z,2026-01-03T08:15:00Z,2026-01-03T20:15:00Z")]
    [InlineData("DTSTART;TZID=America/New_York:20260307T013000\nRRULE:FREQ=HOURLY;COUNT=4",
        "2026-03-07T06:30:00Z,2026-03-07T07:30:00Z,2026-03-07T08:30:00Z,2026-03-07T09:30:00Z")]
    [InlineData("DTSTART:20260101T000000Z\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-1;BYMONTH=2,4;COUNT=3",
        "2026-02-28T00:00:00Z,2026-04-30T00:00:00Z,2027-02-28T00:00:00Z")]
    [InlineData("DTSTART:20260101T120000Z\nRRULE:FREQ=YEARLY;BYDAY=20MO;COUNT=2",
        "2026-05-18T12:00:00Z,2027-05-17T12:00:00Z")]
    [InlineData("DTSTART;TZID=America/New_York:20260302T090000\nRRULE:FREQ=WEEKLY;COUNT=3",
        "2026-03-02T14:00:00Z,2026-03-09T13:00:00Z,2026-03-16T13:00:00Z")]
    public void Next_Rule_GivesTheOccurrencesDateutilGives(string rule, string expected) =>
        Assert.Equal(expected.Split(','), All(rule));

    [Fact]
    public void Next_NoCountLongAfterStart_SkipsAheadToThePresent()
    {
        var schedule = RRuleSchedule.Parse("DTSTART:20000101T000000Z\nRRULE:FREQ=MINUTELY;INTERVAL=7", TimeZoneInfo.Utc);

        var next = schedule.Next(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero))!.Value;

        Assert.Equal(0, (long)(next - new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalMinutes % 7);
        Assert.InRange(next, new DateTimeOffset(2026, 5, 1, 0, 0, 1, TimeSpan.Zero), new DateTimeOffset(2026, 5, 1, 0, 7, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Next_RuleThatNeverMatches_ReturnsNull() =>
        Assert.Null(RRuleSchedule.Parse("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", TimeZoneInfo.Utc).Next(Before2026));

    [Fact]
    public void Parse_RuleWithTimezoneField_UsesIt()
    {
        var schedule = ScheduleRules.Parse(JsonDocument.Parse("""{"rrule": "FREQ=DAILY;BYHOUR=9;BYMINUTE=0", "timezone": "Europe/Paris"}""").RootElement);

        Assert.Equal(new DateTimeOffset(2026, 7, 1, 7, 0, 0, TimeSpan.Zero), schedule.Next(new DateTimeOffset(2026, 6, 30, 8, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("FREQ=SECONDLY")]
    [InlineData("INTERVAL=2")]
    [InlineData("FREQ=DAILY;BYWEEKNO=3")]
    [InlineData("FREQ=DAILY;COUNT=2;UNTIL=20260101T000000Z")]
    [InlineData("FREQ=WEEKLY;BYDAY=1MO")]
    [InlineData("FREQ=MONTHLY;BYDAY=XX")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=0")]
    [InlineData("FREQ=DAILY;BYHOUR=24")]
    [InlineData("DTSTART:2026\nRRULE:FREQ=DAILY")]
    public void Parse_InvalidOrUnsupportedRule_ThrowsFormatException(string rule) =>
        Assert.Throws<FormatException>(() => RRuleSchedule.Parse(rule, TimeZoneInfo.Utc));
}
