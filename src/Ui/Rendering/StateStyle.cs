using OrleansFlow.Grains.States;

namespace OrleansFlow.Ui.Rendering;

/// <summary>How a state looks: an icon and a word as well as a colour, so that colour-blind users can tell states apart.
/// The icons are in the fonts every Linux, macOS and Windows desktop has (no emoji font needed).</summary>
internal static class StateStyle
{
    public static IReadOnlyList<StateType> All { get; } =
    [
        StateType.Scheduled, StateType.Pending, StateType.Running, StateType.Paused, StateType.Cancelling,
        StateType.Completed, StateType.Failed, StateType.Crashed, StateType.Cancelled,
    ];

    public static string Icon(StateType? type, string? name = null) => type switch
    {
        StateType.Completed => "✓",
        StateType.Failed => "✗",
        StateType.Running => "▶",
        StateType.Paused => "‖",
        StateType.Scheduled when name == "Late" => "◔",
        StateType.Scheduled => "◷",
        StateType.Pending => "…",
        StateType.Cancelling => "⊘",
        StateType.Cancelled => "⊘",
        StateType.Crashed => "⚠",
        _ => "•",
    };

    /// <summary>The CSS modifier: the state type in lower case, or <c>late</c> for late scheduled runs.</summary>
    public static string CssClass(StateType? type, string? name = null) =>
        type is null ? "none" : type == StateType.Scheduled && name == "Late" ? "late" : type.Value.ToString().ToLowerInvariant();

    /// <summary>The state type as the API spells it (<c>COMPLETED</c>).</summary>
    public static string Wire(StateType type) => type.ToString().ToUpperInvariant();

    public static string Label(StateType type) => type.ToString();
}
