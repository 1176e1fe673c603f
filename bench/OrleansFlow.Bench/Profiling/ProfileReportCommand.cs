using System.Globalization;

namespace OrleansFlow.Bench.Profiling;

/// <summary><c>profile-report FILE</c>: summarizes what <c>dotnet-trace</c> and <c>dotnet-counters</c> recorded of a
/// server (<c>bench/scripts/hotpath-profile.sh</c> records both during the measured window of <c>hotpath</c>). A
/// <c>.nettrace</c> gives the CPU samples of <c>dotnet-trace collect-linux --profile cpu-sampling</c> (kernel, native and
/// managed frames, by component and by function) and the allocation samples of <c>--profile gc-verbose</c> (by type and
/// by the OrleansFlow frame that asked for them); a <c>.csv</c> of <c>dotnet-counters collect</c> gives the runtime's
/// figures per transition (bytes allocated, garbage collections, thread-pool work items); copies of a SQLite database's
/// write-ahead log give the pages each commit wrote, by table and index (<c>bench/scripts/hotpath-wal.sh</c>).</summary>
internal static class ProfileReportCommand
{
    public const string Name = "profile-report";

    private const string Usage = "usage: profile-report FILE... [--top N (25)]\n" +
        "  FILE.nettrace  dotnet-trace output: CPU samples (collect-linux --profile cpu-sampling) and/or allocation ticks (--profile gc-verbose)\n" +
        "  FILE.csv       dotnet-counters collect --format csv output: runtime figures per transition\n" +
        "  DB-wal...      copies of a SQLite database's write-ahead log (each beside its database): pages per commit, by table and index";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var files = new List<string>();
        var top = 25;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--top" when int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0: top = n; i++; break;
                case "--help" or "-h": await output.WriteLineAsync(Usage); return ExitCodes.Success;
                case var path when !path.StartsWith('-'): files.Add(path); break;
                default:
                    await error.WriteLineAsync($"error: bad argument '{args[i]}'.\n{Usage}");
                    return ExitCodes.BadArguments;
            }
        }

        if (files.Count == 0)
        {
            await error.WriteLineAsync($"error: FILE is required.\n{Usage}");
            return ExitCodes.BadArguments;
        }

        if (files.FirstOrDefault(f => !File.Exists(f)) is { } missing)
        {
            await error.WriteLineAsync($"error: FILE '{missing}' does not exist.");
            return ExitCodes.BadArguments;
        }

        if (files.All(f => f.EndsWith("-wal", StringComparison.Ordinal)))
        {
            if (files.FirstOrDefault(f => !File.Exists(f[..^"-wal".Length])) is { } alone)
            {
                await error.WriteLineAsync($"error: FILE '{alone}' has no database beside it ('{alone[..^"-wal".Length]}'): copy both.");
                return ExitCodes.BadArguments;
            }

            WalReport.Write(files, top, output);
            return ExitCodes.Success;
        }

        if (files is [var file])
        {
            if (file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                CounterReport.Write(file, output);
                return ExitCodes.Success;
            }

            if (file.EndsWith(".nettrace", StringComparison.OrdinalIgnoreCase))
            {
                TraceReport.Write(file, top, output);
                return ExitCodes.Success;
            }
        }

        await error.WriteLineAsync($"error: give one .nettrace or .csv file, or any number of -wal files, not '{string.Join("', '", files)}'.\n{Usage}");
        return ExitCodes.BadArguments;
    }
}
