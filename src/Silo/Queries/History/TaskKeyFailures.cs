namespace OrleansFlow.Silo.Queries.History;

/// <summary>How often the task runs of one task key failed.</summary>
/// <param name="TaskKey">The task key (one task of the flow's code).</param>
/// <param name="Name">The name of one of its task runs (they differ only by a counter), to show.</param>
/// <param name="Failed">Task runs in FAILED or CRASHED.</param>
/// <param name="Total">All its task runs.</param>
public sealed record TaskKeyFailures(string TaskKey, string Name, long Failed, long Total);
