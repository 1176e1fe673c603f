using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace OrleansFlow.Ui.Rendering;

/// <summary>The time zone every time on a page is shown in: the viewer's. The page's script keeps the browser's zone (an
/// IANA id) in the <see cref="CookieName"/> cookie and reloads a page rendered in another zone once; without the cookie
/// (the first page, or no script) and for a zone this machine does not know, times are in UTC.</summary>
internal sealed class ViewerTime
{
    /// <summary>The cookie holding the browser's IANA time zone id.</summary>
    public const string CookieName = "orleansflow_tz";

    private ViewerTime(TimeZoneInfo zone, string name)
    {
        Zone = zone;
        Name = name;
    }

    /// <summary>UTC, the zone of a request without the cookie.</summary>
    public static ViewerTime Utc { get; } = new(TimeZoneInfo.Utc, "UTC");

    /// <summary>The zone.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>The zone's IANA id as the browser named it ("America/New_York"), or "UTC".</summary>
    public string Name { get; }

    /// <summary>The zone the request's cookie names; <see cref="Utc"/> without one, or for an id this machine does not know.</summary>
    public static ViewerTime From(HttpContext? context)
    {
        if (context?.Request.Cookies[CookieName] is not { Length: > 0 and <= 64 } id)
        {
            return Utc;
        }

        // A zone that is UTC all year ("Etc/UTC", "GMT") is UTC, named so.
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && (zone.BaseUtcOffset != TimeSpan.Zero || zone.SupportsDaylightSavingTime)
            ? new ViewerTime(zone, id)
            : Utc;
    }

    /// <summary>The wall-clock time in the zone.</summary>
    public DateTime Local(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Zone).DateTime;

    /// <summary>"2026-12-05 22:08:09" in the zone; a dash for null.</summary>
    public string Time(DateTimeOffset? time) =>
        time is { } t ? Local(t).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "—";

    /// <summary>"HH:mm" in the zone.</summary>
    public string Clock(DateTimeOffset time) => Local(time).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A tooltip for a time: the same instant in UTC, and the zone it is shown in.</summary>
    public string Title(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" + (ReferenceEquals(this, Utc) ? "" : " (shown in " + Name + ")");
}
