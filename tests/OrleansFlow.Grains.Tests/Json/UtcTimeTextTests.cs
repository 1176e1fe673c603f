using System.Globalization;
using System.Text;
using System.Text.Json;
using OrleansFlow.Grains.Json;

namespace OrleansFlow.Grains.Tests.Json;

public class UtcTimeTextTests
{
    private const string PrefectFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'";
    private const string SortableFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static TheoryData<DateTimeOffset> Edges() =>
    [
        DateTimeOffset.MinValue,
        DateTimeOffset.MaxValue,
        new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999),
        new DateTimeOffset(999, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(10),
        new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.FromHours(-5)).AddTicks(7),
        new DateTimeOffset(2026, 1, 1, 0, 30, 0, TimeSpan.FromHours(14)),
    ];

    [Theory]
    [MemberData(nameof(Edges))]
    public void Writes_what_the_format_strings_write(DateTimeOffset time)
    {
        Assert.Equal(time.UtcDateTime.ToString(PrefectFormat, CultureInfo.InvariantCulture), UtcTimeText.Prefect(time));
        Assert.Equal(time.UtcDateTime.ToString(SortableFormat, CultureInfo.InvariantCulture), UtcTimeText.Sortable(time));
    }

    [Fact]
    public void Writes_what_the_format_strings_write_for_random_times_and_offsets()
    {
        var random = new Random(20261204);
        Span<byte> utf8 = stackalloc byte[UtcTimeText.PrefectLength];
        for (var i = 0; i < 20_000; i++)
        {
            var ticks = random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay);
            var time = new DateTimeOffset(ticks, TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1)));
            Assert.Equal(time.UtcDateTime.ToString(PrefectFormat, CultureInfo.InvariantCulture), UtcTimeText.Prefect(time));
            Assert.Equal(time.UtcDateTime.ToString(SortableFormat, CultureInfo.InvariantCulture), UtcTimeText.Sortable(time));
            Assert.Equal(UtcTimeText.Prefect(time), Encoding.UTF8.GetString(utf8[..UtcTimeText.WritePrefectUtf8(time, utf8)]));
        }
    }

    [Fact]
    public void A_destination_too_short_is_refused_with_the_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => UtcTimeText.WritePrefectUtf8(DateTimeOffset.UnixEpoch, new byte[31]));
        Assert.Contains("31", error.Message, StringComparison.Ordinal);
        Assert.Contains("32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_converter_writes_prefects_form_and_reads_it_back()
    {
        var options = OrleansFlowJson.Options;
        var time = new DateTimeOffset(2026, 11, 21, 18, 48, 16, TimeSpan.FromHours(-5)).AddTicks(3_034_209);
        var json = JsonSerializer.Serialize(time, options);
        Assert.Equal("\"2026-11-21T23:48:16.303420+00:00\"", json);
        Assert.Equal(time.AddTicks(-9), JsonSerializer.Deserialize<DateTimeOffset>(json, options));
    }
}
