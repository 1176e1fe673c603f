namespace OrleansFlow.Silo.Queries.History;

/// <summary>The median and the 95th percentile of a per-run measure (duration, start delay) over the runs of one bucket,
/// by nearest rank (each is the measure of one real run), over the bucket's latest <see cref="RunHistoryQueries.SampleSize"/>
/// runs with the measure (by expected start), on both databases.</summary>
/// <param name="Index">The bucket's position in its window (0 is the oldest).</param>
/// <param name="Start">When the bucket starts.</param>
/// <param name="Runs">How many runs the percentiles were taken from (at most <see cref="RunHistoryQueries.SampleSize"/>); 0
/// leaves both percentiles null.</param>
/// <param name="P50Seconds">The median, in seconds.</param>
/// <param name="P95Seconds">The 95th percentile, in seconds.</param>
public sealed record RunPercentileBucket(int Index, DateTimeOffset Start, long Runs, double? P50Seconds, double? P95Seconds);
