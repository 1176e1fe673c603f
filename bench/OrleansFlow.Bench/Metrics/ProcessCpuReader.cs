using System.Globalization;

namespace OrleansFlow.Bench.Metrics;

/// <summary>Reads the CPU time (user + system) of other processes from Linux <c>/proc/PID/stat</c>.</summary>
internal static class ProcessCpuReader
{
    // USER_HZ, the unit of utime/stime in /proc/PID/stat: 100 on every mainstream Linux architecture.
    private const double ClockTicksPerSecond = 100;

    /// <summary>The summed CPU time of <paramref name="pids"/>, or null if one of them cannot be read.</summary>
    public static TimeSpan? TryRead(IReadOnlyList<int> pids)
    {
        double ticks = 0;
        foreach (var pid in pids)
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid}/stat");
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }

            // The command name (field 2) is in parentheses and may contain spaces: parse after the last ')'.
            // What follows starts at field 3 (state); utime and stime are fields 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 13
                || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var utime)
                || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var stime))
            {
                return null;
            }

            ticks += utime + stime;
        }

        return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
    }
}
