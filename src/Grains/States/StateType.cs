namespace OrleansFlow.Grains.States;

/// <summary>The type of a run state, as Prefect 2 defines it (serialized in upper case, e.g. <c>"RUNNING"</c>).</summary>
[GenerateSerializer, Alias("OrleansFlow.StateType")]
public enum StateType
{
    /// <summary>Waiting for its scheduled time.</summary>
    Scheduled,

    /// <summary>About to run: infrastructure is being prepared or the run is being claimed.</summary>
    Pending,

    /// <summary>Running.</summary>
    Running,

    /// <summary>Finished successfully (terminal).</summary>
    Completed,

    /// <summary>Finished with an error (terminal).</summary>
    Failed,

    /// <summary>Cancelled before finishing (terminal).</summary>
    Cancelled,

    /// <summary>Its infrastructure failed unexpectedly (terminal).</summary>
    Crashed,

    /// <summary>Paused, waiting to be resumed.</summary>
    Paused,

    /// <summary>Cancellation was requested and is being carried out.</summary>
    Cancelling,
}
