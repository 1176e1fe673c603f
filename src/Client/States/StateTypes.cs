namespace OrleansFlow.Client;

/// <summary>Facts about <see cref="StateType"/> values.</summary>
public static class StateTypes
{
    /// <summary>True for COMPLETED, FAILED, CANCELLED and CRASHED: the run is over.</summary>
    public static bool IsTerminal(this StateType type) =>
        type is StateType.Completed or StateType.Failed or StateType.Cancelled or StateType.Crashed;

    /// <summary>The wire spelling (<c>"COMPLETED"</c>).</summary>
    public static string ToWire(this StateType type) => type switch
    {
        StateType.Scheduled => "SCHEDULED",
        StateType.Pending => "PENDING",
        StateType.Running => "RUNNING",
        StateType.Completed => "COMPLETED",
        StateType.Failed => "FAILED",
        StateType.Cancelled => "CANCELLED",
        StateType.Crashed => "CRASHED",
        StateType.Paused => "PAUSED",
        StateType.Cancelling => "CANCELLING",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown state type."),
    };
}
