namespace OrleansFlow.Grains.Orchestration;

/// <summary>The outcome of proposing a state (serialized in upper case, e.g. <c>"ACCEPT"</c>).</summary>
[GenerateSerializer, Alias("OrleansFlow.OrchestrationStatus")]
public enum OrchestrationStatus
{
    /// <summary>The proposed state was recorded.</summary>
    Accept,

    /// <summary>The proposed state was refused; the response carries the state the run is in (or was put in instead).</summary>
    Reject,

    /// <summary>Try again after <see cref="OrchestrationDetails.DelaySeconds"/>.</summary>
    Wait,

    /// <summary>The transition must not happen; the client should stop driving the run.</summary>
    Abort,
}
