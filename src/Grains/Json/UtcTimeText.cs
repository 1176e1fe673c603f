using System.Numerics;

namespace OrleansFlow.Grains.Json;

/// <summary>Writes a time as fixed-width UTC text with microseconds, the two forms OrleansFlow stores and sends:
/// <c>2026-11-21T23:48:16.303420+00:00</c> (Prefect's, in JSON and event labels) and <c>2026-11-21T23:48:16.303420Z</c>
/// (SQLite's columns, where text order is time order). The result equals <see cref="DateTime.ToString(string, IFormatProvider)"/>
/// with <see cref="UtcDateTimeOffsetConverter.Format"/> or <c>yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'</c> (fractions truncated,
/// not rounded), without parsing a format string on every call: every state change writes several times.</summary>
public static class UtcTimeText
{
    /// <summary>The length of <see cref="Prefect(DateTimeOffset)"/>'s result.</summary>
    public const int PrefectLength = 32;

    /// <summary>The length of <see cref="Sortable(DateTimeOffset)"/>'s result.</summary>
    public const int SortableLength = 27;

    /// <summary>The time in UTC with a <c>+00:00</c> offset: <c>2026-11-21T23:48:16.303420+00:00</c>.</summary>
    public static string Prefect(DateTimeOffset time) => string.Create(PrefectLength, time, static (span, t) => Write(t, span, true));

    /// <summary>The time in UTC with a <c>Z</c>: <c>2026-11-21T23:48:16.303420Z</c>.</summary>
    public static string Sortable(DateTimeOffset time) => string.Create(SortableLength, time, static (span, t) => Write(t, span, false));

    /// <summary>Writes <see cref="Prefect(DateTimeOffset)"/>'s text as UTF-8 into <paramref name="destination"/> (at least
    /// <see cref="PrefectLength"/> bytes) and returns the number of bytes written.</summary>
    public static int WritePrefectUtf8(DateTimeOffset time, Span<byte> destination) => Write(time, destination, true);

    private static int Write<T>(DateTimeOffset time, Span<T> destination, bool offset) where T : unmanaged, IBinaryInteger<T>
    {
        var length = offset ? PrefectLength : SortableLength;
        if (destination.Length < length)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} characters; a time takes {length}.", nameof(destination));
        }

        var utc = time.UtcDateTime;
        var (year, month, day) = utc;
        var ticksOfDay = utc.Ticks % TimeSpan.TicksPerDay;
        var seconds = (int)(ticksOfDay / TimeSpan.TicksPerSecond);
        var microseconds = (int)(ticksOfDay % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond);
        Digits(destination[..4], year);
        destination[4] = T.CreateTruncating('-');
        Digits(destination.Slice(5, 2), month);
        destination[7] = T.CreateTruncating('-');
        Digits(destination.Slice(8, 2), day);
        destination[10] = T.CreateTruncating('T');
        Digits(destination.Slice(11, 2), seconds / 3600);
        destination[13] = T.CreateTruncating(':');
        Digits(destination.Slice(14, 2), seconds / 60 % 60);
        destination[16] = T.CreateTruncating(':');
        Digits(destination.Slice(17, 2), seconds % 60);
        destination[19] = T.CreateTruncating('.');
        Digits(destination.Slice(20, 6), microseconds);
        if (offset)
        {
            destination[26] = T.CreateTruncating('+');
            destination[27] = T.CreateTruncating('0');
            destination[28] = T.CreateTruncating('0');
            destination[29] = T.CreateTruncating(':');
            destination[30] = T.CreateTruncating('0');
            destination[31] = T.CreateTruncating('0');
        }
        else
        {
            destination[26] = T.CreateTruncating('Z');
        }

        return length;
    }

    private static void Digits<T>(Span<T> destination, int value) where T : unmanaged, IBinaryInteger<T>
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = T.CreateTruncating('0' + value % 10);
            value /= 10;
        }
    }
}
