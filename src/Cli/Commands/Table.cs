using System.Text;

namespace OrleansFlow.Cli.Commands;

/// <summary>A plain text table that fits a width: columns take what their widest cell needs, and when the total is too
/// wide the widest columns are cut (with an ellipsis) until it fits.</summary>
internal sealed class Table(params string[] headers)
{
    private const string Gap = "  ";
    private readonly List<string[]> _rows = [];

    public void Add(params string?[] cells) => _rows.Add([.. cells.Select(c => (c ?? "").ReplaceLineEndings(" "))]);

    public void Write(TextWriter writer, int width)
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var available = Math.Max(width - 1 - (Gap.Length * (headers.Length - 1)), headers.Length * 4);
        while (widths.Sum() > available)
        {
            var widest = Array.IndexOf(widths, widths.Max());
            if (widths[widest] <= 4)
            {
                break;
            }

            widths[widest]--;
        }

        writer.WriteLine(Line(headers, widths));
        foreach (var row in _rows)
        {
            writer.WriteLine(Line(row, widths));
        }
    }

    private static string Line(string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i].Length > widths[i] ? string.Concat(cells[i].AsSpan(0, widths[i] - 1), "…") : cells[i];
            line.Append(i == cells.Length - 1 ? cell : cell.PadRight(widths[i]) + Gap);
        }

        return line.ToString().TrimEnd();
    }
}
