namespace OrleansFlow.Grains.Schedules;

/// <summary>A schedule of a deployment: the times its runs are due.</summary>
public abstract class DeploymentSchedule
{
    /// <summary>The first due time strictly after <paramref name="after"/>; null when the schedule has no more.</summary>
    public abstract DateTimeOffset? Next(DateTimeOffset after);

    /// <summary>Resolves a time-zone name (IANA or Windows); null or empty is UTC.</summary>
    /// <exception cref="FormatException">The name is not a known time zone.</exception>
    public static TimeZoneInfo FindZone(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new FormatException($"'{name}' is not a known time zone.", ex);
        }
    }

    /// <summary>The UTC instant of a wall-clock time in <paramref name="zone"/>: null for a time skipped by a
    /// daylight-saving jump; the earlier (daylight) instant for a time that occurs twice.</summary>
    public static DateTimeOffset? ToInstant(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            return null;
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
