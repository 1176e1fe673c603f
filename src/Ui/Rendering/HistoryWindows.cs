using System.Globalization;
using OrleansFlow.Silo.Queries.History;

namespace OrleansFlow.Ui.Rendering;

/// <summary>The charts' time windows (the dashboard's 1h/24h/7d/30d) and how each is cut into buckets: 12 of 5 minutes,
/// 24 of an hour, 28 of 6 hours, 30 of a day.</summary>
internal static class HistoryWindows
{
    public const string Default = "24h";

    public static IReadOnlyList<string> Keys { get; } = ["1h", "24h", "7d", "30d"];

    public static string Normalize(string? key) => key is not null && Keys.Contains(key) ? key : Default;

    /// <summary>The window <paramref name="key"/> ending with the bucket that holds <paramref name="now"/>. Its buckets
    /// are aligned in the viewer's zone (its offset now), so that hours and days start at :00 and midnight there.</summary>
    public static RunHistoryWindow For(string key, DateTimeOffset now, ViewerTime viewer)
    {
        var offset = viewer.Zone.GetUtcOffset(now);
        var (size, count) = key switch
        {
            "1h" => (TimeSpan.FromMinutes(5), 12),
            "7d" => (TimeSpan.FromHours(6), 28),
            "30d" => (TimeSpan.FromDays(1), 30),
            _ => (TimeSpan.FromHours(1), 24),
        };
        var local = RunHistoryWindow.Ending(now + offset, size, count);
        return local with { From = local.From - offset };
    }

    /// <summary>A bucket's start as an axis label in the viewer's zone: the time of day for buckets under a day, else the date.</summary>
    public static string Label(RunHistoryWindow window, int index, ViewerTime viewer)
    {
        var start = viewer.Local(window.BucketStart(index));
        return window.BucketSize < TimeSpan.FromDays(1)
            ? (window.BucketSize < TimeSpan.FromHours(6) || start.Hour != 0 ? start.ToString("HH:mm", CultureInfo.InvariantCulture) : start.ToString("MMM d", CultureInfo.InvariantCulture))
            : start.ToString("MMM d", CultureInfo.InvariantCulture);
    }

    /// <summary>A bucket as words in the viewer's zone: "2026-12-02 14:00 to 15:00".</summary>
    public static string Describe(RunHistoryWindow window, int index, ViewerTime viewer)
    {
        var start = viewer.Local(window.BucketStart(index));
        var end = viewer.Local(window.BucketStart(index + 1));
        var endFormat = end.Date == start.Date || (end.TimeOfDay == TimeSpan.Zero && end.Date == start.Date.AddDays(1) && window.BucketSize < TimeSpan.FromDays(1)) ? "HH:mm" : "yyyy-MM-dd HH:mm";
        return start.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " to " + end.ToString(endFormat, CultureInfo.InvariantCulture);
    }
}
