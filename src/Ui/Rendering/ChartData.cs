using OrleansFlow.Silo.Queries.History;

namespace OrleansFlow.Ui.Rendering;

/// <summary>Turns query results into chart lines.</summary>
internal static class ChartData
{
    /// <summary>What the percentile charts' captions (and the tables behind them) add: which runs they are taken from.</summary>
    public static string Sampled { get; } = $", from each bucket's latest {RunHistoryQueries.SampleSize} runs";

    /// <summary>The median and 95th percentile lines of per-bucket percentiles.</summary>
    public static List<ChartSeries> Percentiles(IReadOnlyList<RunPercentileBucket> buckets) =>
    [
        new("p50 (median)", buckets.Select(b => b.P50Seconds).ToList(), "p50"),
        new("p95", buckets.Select(b => b.P95Seconds).ToList(), "p95"),
    ];
}
