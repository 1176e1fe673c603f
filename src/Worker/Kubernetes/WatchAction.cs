namespace OrleansFlow.Worker.Kubernetes;

/// <summary>What a watch does with one run's Job.</summary>
public enum WatchAction
{
    /// <summary>Nothing yet: the Job is pending or running.</summary>
    Keep,

    /// <summary>Stop watching: the run has its final state.</summary>
    Forget,

    /// <summary>Report the run CRASHED: its Job ended (or vanished) and the run has no final state.</summary>
    Crash,

    /// <summary>The run is CANCELLING: delete the Job and report CANCELLED.</summary>
    Cancel,
}
