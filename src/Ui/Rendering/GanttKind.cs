namespace OrleansFlow.Ui.Rendering;

/// <summary>What a Gantt segment shows.</summary>
internal enum GanttKind
{
    /// <summary>A run attempt (RUNNING until the next state).</summary>
    Run,

    /// <summary>PENDING: waiting to start, e.g. for a concurrency slot.</summary>
    Wait,

    /// <summary>Between attempts (AwaitingRetry) or paused.</summary>
    RetryWait,
}
