namespace OrleansFlow.Silo.Queries.History;

/// <summary>How many runs of one work queue were waiting at one moment: due (expected start at or before it) and
/// neither started nor ended by then.</summary>
/// <param name="WorkQueueId">The queue.</param>
/// <param name="Index">The moment's position in its window: the end of bucket <paramref name="Index"/>.</param>
/// <param name="At">The moment.</param>
/// <param name="Waiting">The runs waiting then.</param>
public sealed record QueueDepthPoint(Guid WorkQueueId, int Index, DateTimeOffset At, long Waiting);
