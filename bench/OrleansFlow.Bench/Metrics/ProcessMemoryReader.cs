using System.Globalization;

namespace OrleansFlow.Bench.Metrics;

/// <summary>Reads another process's memory from Linux <c>/proc/PID/status</c>: <c>VmRSS</c> (resident set size now),
/// <c>VmHWM</c> (the kernel's high-water mark of the resident set since the process started) and <c>RssAnon</c> (the
/// anonymous part of the resident set: heaps and stacks, without mapped files and shared memory).</summary>
internal static class ProcessMemoryReader
{
    /// <summary>Resident, peak resident and anonymous resident bytes of <paramref name="pid"/>, or null when the file
    /// cannot be read (the process is gone, not Linux).</summary>
    public static (long RssBytes, long PeakRssBytes, long AnonBytes)? TryRead(int pid)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        long? rss = null, hwm = null, anon = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kilobytes(line);
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anon = Kilobytes(line);
            }
        }

        return rss is { } r && hwm is { } h ? (r * 1024, h * 1024, (anon ?? 0) * 1024) : null;
    }

    // "VmRSS:\t  123456 kB"
    private static long? Kilobytes(string line)
    {
        var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : null;
    }
}
