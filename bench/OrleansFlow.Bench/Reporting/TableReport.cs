using System.Globalization;
using System.Text;
using OrleansFlow.Bench.Cli;

namespace OrleansFlow.Bench.Reporting;

/// <summary>A plain-text table with one row per concurrency level, followed by the errors, if any.</summary>
internal static class TableReport
{
    private static readonly (string Header, Func<HotPathResult, string> Cell)[] Columns =
    [
        ("conc", r => Int(r.Concurrency)),
        ("wall s", r => Fixed(r.WallSeconds, 2)),
        ("flow runs", r => Int(r.FlowRunsCompleted)),
        ("requests", r => Int(r.Requests)),
        ("req/s", r => Fixed(r.RequestsPerSecond, 1)),
        ("transitions", r => Int(r.Transitions)),
        ("trans/s", r => Fixed(r.TransitionsPerSecond, 1)),
        ("ss p50", r => Ms(r.SetStateP50Ms)),
        ("ss p90", r => Ms(r.SetStateP90Ms)),
        ("ss p99", r => Ms(r.SetStateP99Ms)),
        ("ss max", r => Ms(r.SetStateMaxMs)),
        ("all p50", r => Ms(r.AllP50Ms)),
        ("all p99", r => Ms(r.AllP99Ms)),
        ("errors", r => Int(r.Errors)),
        ("lg cpu%", r => Fixed(r.LoadgenCpuPercent, 1)),
        ("srv cpu%", r => r.ServerCpuPercent is { } cpu ? Fixed(cpu, 1) : "-"),
    ];

    public static async Task WriteAsync(TextWriter output, HotPathOptions options, IReadOnlyList<HotPathResult> results)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"hotpath  api={options.Api}  duration={options.DurationSeconds:0.##}s  ")
            .Append(CultureInfo.InvariantCulture, $"warmup={options.WarmupSeconds:0.##}s  tasks/flow={options.TasksPerFlow}")
            .Append(options.Label is null ? string.Empty : $"  label={options.Label}")
            .AppendLine()
            .AppendLine("(ss = set_state latency, all = every request; ms. cpu% = CPU time / wall, 100 = one core)");

        var cells = results.Select(r => Columns.Select(c => c.Cell(r)).ToArray()).ToList();
        var widths = Columns.Select((c, i) => cells.Select(row => row[i].Length).Append(c.Header.Length).Max()).ToArray();
        AppendRow(text, Columns.Select(c => c.Header).ToArray(), widths);
        AppendRow(text, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in cells)
        {
            AppendRow(text, row, widths);
        }

        foreach (var r in results.Where(r => r.Errors > 0 || r.Interrupted))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"C={r.Concurrency}:{(r.Interrupted ? " interrupted by Ctrl+C;" : string.Empty)} {r.Errors} errors");
            foreach (var (kind, count) in r.ErrorsByKind.OrderByDescending(e => e.Value))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {count,8}  {kind}");
            }

            foreach (var sample in r.ErrorSamples)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  e.g. {sample.ReplaceLineEndings(" ")}");
            }
        }

        await output.WriteAsync(text.ToString());
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            text.Append(i == 0 ? string.Empty : "  ").Append(cells[i].PadLeft(widths[i]));
        }

        text.AppendLine();
    }

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Fixed(double value, int decimals) => value.ToString("F" + Int(decimals), CultureInfo.InvariantCulture);

    private static string Ms(double? value) => value is { } ms ? Fixed(ms, 2) : "-";
}
