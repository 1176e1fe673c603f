namespace OrleansFlow.Client;

/// <summary>Body of <c>POST /api/flow_runs/filter</c>: runs matching every condition set, newest first by default.</summary>
public sealed record FlowRunFilter
{
    /// <summary>Conditions on the runs.</summary>
    public FlowRunConditions? FlowRuns { get; init; }

    /// <summary>How to sort (e.g. <c>EXPECTED_START_TIME_DESC</c>); the server's default when null.</summary>
    public string? Sort { get; init; }

    /// <summary>At most this many runs (the server caps it at 200).</summary>
    public int? Limit { get; init; }

    /// <summary>Skip this many.</summary>
    public int? Offset { get; init; }
}
