namespace OrleansFlow.Grains.States;

/// <summary>Classifications of <see cref="StateType"/> used by the rules.</summary>
public static class StateTypes
{
    /// <summary>True for COMPLETED, FAILED, CANCELLED and CRASHED: a run in one of these has finished.</summary>
    public static bool IsTerminal(this StateType type) =>
        type is StateType.Completed or StateType.Failed or StateType.Cancelled or StateType.Crashed;

    /// <summary>True for FAILED and CRASHED.</summary>
    public static bool IsFailure(this StateType type) => type is StateType.Failed or StateType.Crashed;

    /// <summary>The default display name of a state type (<c>Running</c>, <c>Cancelling</c>...).</summary>
    public static string DefaultName(this StateType type) => type switch
    {
        StateType.Scheduled => "Scheduled",
        StateType.Pending => "Pending",
        StateType.Running => "Running",
        StateType.Completed => "Completed",
        StateType.Failed => "Failed",
        StateType.Cancelled => "Cancelled",
        StateType.Crashed => "Crashed",
        StateType.Paused => "Paused",
        StateType.Cancelling => "Cancelling",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown state type."),
    };
}
