namespace OrleansFlow.Silo.Queries.History;

/// <summary>A time window cut into equal buckets: <see cref="Buckets"/> buckets of <see cref="BucketSize"/> from
/// <see cref="From"/> on. Runs fall into a bucket by their expected start time.</summary>
/// <param name="From">The start of the first bucket.</param>
/// <param name="BucketSize">The length of every bucket (whole seconds, at least one).</param>
/// <param name="Buckets">How many buckets (1 to 1,000).</param>
public sealed record RunHistoryWindow(DateTimeOffset From, TimeSpan BucketSize, int Buckets)
{
    /// <summary>The end of the last bucket (exclusive).</summary>
    public DateTimeOffset To => From + BucketSize * Buckets;

    /// <summary>The start of bucket <paramref name="index"/>.</summary>
    public DateTimeOffset BucketStart(int index) => From + BucketSize * index;

    /// <summary>The window of <paramref name="buckets"/> buckets of <paramref name="bucketSize"/> that ends with the
    /// bucket holding <paramref name="now"/>; buckets are aligned to multiples of their size since the Unix epoch, so
    /// they stay put from one refresh to the next.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is under a second or the count outside 1 to 1,000.</exception>
    public static RunHistoryWindow Ending(DateTimeOffset now, TimeSpan bucketSize, int buckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketSize, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(buckets, 1_000);
        var size = (long)bucketSize.TotalSeconds;
        var last = now.ToUnixTimeSeconds() / size * size;
        return new RunHistoryWindow(DateTimeOffset.FromUnixTimeSeconds(last - (size * (buckets - 1))), TimeSpan.FromSeconds(size), buckets);
    }
}
