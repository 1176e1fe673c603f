using OrleansFlow.Grains.States;

namespace OrleansFlow.Silo.Queries.History;

/// <summary>How many flow runs expected to start in one bucket are in each state type now.</summary>
/// <param name="Index">The bucket's position in its window (0 is the oldest).</param>
/// <param name="Start">When the bucket starts.</param>
/// <param name="Counts">Runs per state type; types without runs are left out.</param>
public sealed record RunCountBucket(int Index, DateTimeOffset Start, IReadOnlyDictionary<StateType, long> Counts)
{
    /// <summary>All runs of the bucket.</summary>
    public long Total => Counts.Values.Sum();
}
