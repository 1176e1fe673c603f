using System.Diagnostics;
using System.Numerics;

namespace OrleansFlow.Bench.Metrics;

/// <summary>
/// A fixed-size log-linear latency histogram in microseconds: values under 256 µs are kept exactly,
/// larger ones in 128 sub-buckets per power of two (at most 0.4% error on a reported percentile).
/// One per worker and request group, so recording is a few instructions with no locks and no allocation;
/// workers' recorders are merged at the end.
/// </summary>
internal sealed class LatencyRecorder
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int LinearLimit = SubBuckets * 2;
    private const int MaxExponent = 40;
    private const int BucketCount = LinearLimit + ((MaxExponent - SubBucketBits - 1) * SubBuckets);
    private static readonly double MicrosPerTick = 1_000_000.0 / Stopwatch.Frequency;

    private readonly long[] _counts = new long[BucketCount];
    private long _count;
    private long _sumMicros;
    private long _maxMicros;

    public long Count => _count;

    /// <summary>Records one latency measured as a <see cref="Stopwatch.GetTimestamp"/> difference.</summary>
    public void RecordTicks(long elapsedTicks) => RecordMicros((long)(elapsedTicks * MicrosPerTick));

    public void RecordMicros(long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }

        _counts[BucketOf(micros)]++;
        _count++;
        _sumMicros += micros;
        if (micros > _maxMicros)
        {
            _maxMicros = micros;
        }
    }

    public void Add(LatencyRecorder other)
    {
        for (var i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }

        _count += other._count;
        _sumMicros += other._sumMicros;
        _maxMicros = Math.Max(_maxMicros, other._maxMicros);
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1) in milliseconds, or null without samples.</summary>
    public double? PercentileMs(double q)
    {
        if (_count == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(q * _count));
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(MidpointOf(i), _maxMicros) / 1000.0;
            }
        }

        return _maxMicros / 1000.0;
    }

    public double? MaxMs => _count == 0 ? null : _maxMicros / 1000.0;

    public double? MeanMs => _count == 0 ? null : _sumMicros / 1000.0 / _count;

    private static int BucketOf(long micros)
    {
        if (micros < LinearLimit)
        {
            return (int)micros;
        }

        var exponent = 63 - BitOperations.LeadingZeroCount((ulong)micros);
        if (exponent >= MaxExponent)
        {
            return BucketCount - 1;
        }

        var subBucket = (int)(micros >> (exponent - SubBucketBits)) & (SubBuckets - 1);
        return LinearLimit + ((exponent - SubBucketBits - 1) * SubBuckets) + subBucket;
    }

    private static double MidpointOf(int bucket)
    {
        if (bucket < LinearLimit)
        {
            return bucket;
        }

        var offset = bucket - LinearLimit;
        var shift = (offset / SubBuckets) + 1;
        var subBucket = offset % SubBuckets;
        var lower = (long)(SubBuckets + subBucket) << shift;
        return lower + ((1L << shift) / 2.0);
    }
}
