namespace OrleansFlow.Ui.Rendering;

/// <summary>Geometry shared by the server-drawn charts: a plot area inside a fixed view box, a "nice" top for the value
/// axis, and which buckets get an axis label.</summary>
internal static class ChartAxis
{
    public const double Width = 760;
    public const double Left = 56;
    public const double Right = 8;
    public const double Top = 10;
    public const double Bottom = 24;

    public static double PlotWidth => Width - Left - Right;

    /// <summary>The smallest 1, 2 or 5 times a power of ten at or above <paramref name="max"/> (1 for nothing).</summary>
    public static double NiceMax(double max)
    {
        if (max <= 0 || double.IsNaN(max))
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var step in new[] { 1, 2, 5, 10 })
        {
            if (step * power >= max)
            {
                return step * power;
            }
        }

        return 10 * power;
    }

    /// <summary>The value axis's ticks for whole counts under a top of <paramref name="max"/>: 0, the whole middle and the
    /// top, each once (0 and 1 alone for a top of 1).</summary>
    public static IReadOnlyList<double> CountTicks(double max)
    {
        var middle = Math.Floor(max / 2);
        return middle > 0 && middle < max ? [0, middle, max] : [0, max];
    }

    /// <summary>The value axis's ticks: 0, the middle and the top, without a middle whose label would repeat the label
    /// of 0 or of the top (a top of 1 shown as whole numbers).</summary>
    public static IReadOnlyList<double> Ticks(double max, Func<double, string> label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var middle = label(max / 2);
        return max <= 0 || middle == label(0) || middle == label(max) ? [0, max] : [0, max / 2, max];
    }

    /// <summary>Every how many buckets an axis label fits (about seven labels).</summary>
    public static int LabelEvery(int buckets) => Math.Max(1, (int)Math.Ceiling(buckets / 7.0));

    /// <summary>Whether bucket <paramref name="index"/>'s label is one of every other label, which a narrow chart leaves out so the
    /// labels it keeps can be drawn larger (see app.css's container rules for .chart).</summary>
    public static bool IsMinorLabel(int index, int buckets) => index / LabelEvery(buckets) % 2 == 1;

    public static string N(double value) => value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
