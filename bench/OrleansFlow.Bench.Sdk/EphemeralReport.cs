using System.Text.Json;

namespace OrleansFlow.Bench.Sdk;

/// <summary>The <c>--ephemeral</c> scenario's summary: each start, the first on a new database, the median of the
/// others on the database the first one made.</summary>
internal static class EphemeralReport
{
    public static async Task<int> RunAsync(Options options)
    {
        Console.WriteLine($"[ephemeral] {options.Ephemeral} process starts in ephemeral mode (no server configured), one after another");
        var starts = await EphemeralStartup.MeasureAsync(options.Ephemeral);
        var fresh = starts[0];
        var existing = starts.Skip(1).Select(s => s.FirstTaskMs).Order().ToList();
        double? median = existing.Count == 0 ? null : existing[existing.Count / 2];
        var load = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ')[0] : "n/a";
        Console.WriteLine();
        Console.WriteLine($"ephemeral start-up to the first task: {fresh.FirstTaskMs:0} ms on a new database"
            + (median is { } m ? $", median {m:0} ms of {existing.Count} on an existing one" : "") + $" (load average {load})");

        if (options.Json is { } file)
        {
            var line = JsonSerializer.Serialize(new
            {
                scenario = "sdk-ephemeral",
                label = options.Label,
                starts = starts.Select(s => new { new_database = s.FreshDatabase, first_task_ms = s.FirstTaskMs, main_entered_ms = s.MainEnteredMs, exit_ms = s.ExitMs }),
                first_task_ms_new_database = fresh.FirstTaskMs,
                first_task_ms_existing_database_median = median,
                load_average = load,
                at = DateTimeOffset.UtcNow,
            });
            await File.AppendAllTextAsync(file, line + Environment.NewLine);
        }

        return 0;
    }
}
