namespace OrleansFlow.Ui.Rendering;

/// <summary>One line of a line chart: a value (or none) per bucket.</summary>
/// <param name="Name">What the line shows, as the legend and the table say it.</param>
/// <param name="Values">One value per bucket; null where there is none.</param>
/// <param name="CssClass">The line's style (<c>p50</c>, <c>p95</c>, <c>series-0</c>...).</param>
public sealed record ChartSeries(string Name, IReadOnlyList<double?> Values, string CssClass);
