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
        var schedule = RRuleSet.Parse(rule, TimeZoneInfo.Utc);
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
    // Issue 11: the parts and sets dateutil's rrulestr takes beyond those above.
    [InlineData("DTSTART:20260101T000000\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=8;BYMINUTE=30;BYSECOND=0",
        "2026-01-05T08:30:00Z,2026-01-07T08:30:00Z,2026-01-12T08:30:00Z,2026-01-14T08:30:00Z,2026-01-19T08:30:00Z,2026-01-21T08:30:00Z,2026-01-26T08:30:00Z,2026-01-28T08:30:00Z,2026-02-02T08:30:00Z,2026-02-04T08:30:00Z")]
    [InlineData("DTSTART:20260101T000000\nRRULE:FREQ=MINUTELY;BYSECOND=0,30;COUNT=5",
        "2026-01-01T00:00:00Z,2026-01-01T00:00:30Z,2026-01-01T00:01:00Z,2026-01-01T00:01:30Z,2026-01-01T00:02:00Z")]
    [InlineData("DTSTART:20260101T000000\nRRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;COUNT=3",
        "2026-05-11T00:00:00Z,2027-05-17T00:00:00Z,2028-05-15T00:00:00Z")]
    [InlineData("DTSTART:20260101T090000\nRRULE:FREQ=YEARLY;BYWEEKNO=1;COUNT=8",
        "2026-01-01T09:00:00Z,2026-01-02T09:00:00Z,2026-01-03T09:00:00Z,2026-01-04T09:00:00Z,2027-01-04T09:00:00Z,2027-01-05T09:00:00Z,2027-01-06T09:00:00Z,2027-01-07T09:00:00Z")]
    [InlineData("DTSTART:20260101T090000\nRRULE:FREQ=YEARLY;BYWEEKNO=-1;BYDAY=FR;COUNT=3",
        "2027-01-01T09:00:00Z,2027-12-31T09:00:00Z,2028-12-29T09:00:00Z")]
    [InlineData("DTSTART:20260101T090000\nRRULE:FREQ=YEARLY;BYYEARDAY=1,100,-1;COUNT=5",
        "2026-01-01T09:00:00Z,2026-04-10T09:00:00Z,2026-12-31T09:00:00Z,2027-01-01T09:00:00Z,2027-04-10T09:00:00Z")]
    [InlineData("DTSTART:20260101T090000\nRRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1;COUNT=4",
        "2026-01-01T09:00:00Z,2026-01-30T09:00:00Z,2026-02-02T09:00:00Z,2026-02-27T09:00:00Z")]
    [InlineData("DTSTART:20260101T090000\nRRULE:FREQ=DAILY;UNTIL=20260104T090000",
        "2026-01-01T09:00:00Z,2026-01-02T09:00:00Z,2026-01-03T09:00:00Z,2026-01-04T09:00:00Z")]
    [InlineData("DTSTART:20260101T090000\nRRULE:FREQ=DAILY;COUNT=5\nEXDATE:20260102T090000,20260104T090000\nRDATE:20260101T120000",
        "2026-01-01T09:00:00Z,2026-01-01T12:00:00Z,2026-01-03T09:00:00Z,2026-01-05T09:00:00Z")]
    [InlineData("DTSTART:20260101T090000\nRRULE:FREQ=DAILY;COUNT=10\nEXRULE:FREQ=WEEKLY;BYDAY=SA,SU",
        "2026-01-01T09:00:00Z,2026-01-02T09:00:00Z,2026-01-05T09:00:00Z,2026-01-06T09:00:00Z,2026-01-07T09:00:00Z,2026-01-08T09:00:00Z,2026-01-09T09:00:00Z")]
    [InlineData("DTSTART:20260101T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=2\nRRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=2",
        "2026-01-02T09:00:00Z,2026-01-05T09:00:00Z,2026-01-09T09:00:00Z,2026-01-12T09:00:00Z")]
    [InlineData("DTSTART:20260101T000000\nRRULE:FREQ=SECONDLY;INTERVAL=20;COUNT=4",
        "2026-01-01T00:00:00Z,2026-01-01T00:00:20Z,2026-01-01T00:00:40Z,2026-01-01T00:01:00Z")]
    [InlineData("DTSTART:20260101T090000\nRRULE:FREQ=WEEKLY;BYMONTHDAY=13;BYDAY=FR;COUNT=2",
        "2026-02-13T09:00:00Z,2026-03-13T09:00:00Z")]
    [InlineData("RDATE:20260105T100000,20260103T100000", "2026-01-03T10:00:00Z,2026-01-05T10:00:00Z")]
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
    [InlineData("FREQ=FORTNIGHTLY")]
    [InlineData("INTERVAL=2")]
    [InlineData("FREQ=YEARLY;BYEASTER=0")]
    [InlineData("FREQ=YEARLY;BYWEEKNO=3;WKST=SU")]
    [InlineData("FREQ=YEARLY;BYWEEKNO=54")]
    [InlineData("FREQ=YEARLY;BYYEARDAY=0")]
    [InlineData("FREQ=DAILY;BYSECOND=60")]
    [InlineData("FREQ=DAILY\nEXDATE;X-FOO=1:20260101T000000")]
    [InlineData("FREQ=DAILY\nEXDATE:2026-01-01")]
    [InlineData("FREQ=DAILY\nXRULE:FREQ=DAILY")]
    [InlineData("FREQ=DAILY;COUNT=2;UNTIL=20260101T000000Z")]
    [InlineData("FREQ=WEEKLY;BYDAY=1MO")]
    [InlineData("FREQ=MONTHLY;BYDAY=XX")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=0")]
    [InlineData("FREQ=DAILY;BYHOUR=24")]
    [InlineData("DTSTART:2026\nRRULE:FREQ=DAILY")]
    public void Parse_InvalidOrUnsupportedRule_ThrowsFormatException(string rule) =>
        Assert.Throws<FormatException>(() => RRuleSet.Parse(rule, TimeZoneInfo.Utc));
}
