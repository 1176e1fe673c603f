using System.Globalization;
using OrleansFlow.Grains.Automations;

namespace OrleansFlow.Ui.Rendering;

/// <summary>An automation's trigger and actions in words, for the automations pages.</summary>
internal static class AutomationText
{
    /// <summary>The trigger in one sentence, e.g. "When prefect.flow-run.Failed occurs for prefect.flow-run.*".</summary>
    public static string Trigger(AutomationTrigger trigger) => trigger switch
    {
        EventTrigger e => Event(e),
        CompoundTrigger c => $"When {Require(c)} of {Count(c.Triggers.Length, "trigger")} fire{Window(c.Within)}: "
            + string.Join("; ", c.Triggers.Select(Trigger)),
        SequenceTrigger s => $"When {Count(s.Triggers.Length, "trigger")} fire in order{Window(s.Within)}: " + string.Join("; then ", s.Triggers.Select(Trigger)),
        _ => trigger.Type,
    };

    /// <summary>One action in words, with <paramref name="names"/> giving the names of known deployments, pools and blocks.</summary>
    public static string Action(AutomationAction action, IReadOnlyDictionary<Guid, string> names)
    {
        ArgumentNullException.ThrowIfNull(action);
        string Name(Guid? id) => id is { } g ? names.GetValueOrDefault(g, g.ToString()) : "?";
        return action switch
        {
            DoNothingAction => "Do nothing",
            RunDeploymentAction { Source: ActionSource.Inferred } => "Run the deployment of the triggering event",
            RunDeploymentAction run => $"Run deployment {Name(run.DeploymentId)}"
                + (run.ScheduleAfter > TimeSpan.Zero ? $" after {Format.Duration(run.ScheduleAfter.TotalSeconds)}" : ""),
            TargetedAction { Source: ActionSource.Inferred } t => $"{(t.Pauses ? "Pause" : "Resume")} the {Kind(t)} of the triggering event",
            TargetedAction t => $"{(t.Pauses ? "Pause" : "Resume")} {Kind(t)} {Name(t.TargetId)}",
            FlowRunStateAction { Type: "cancel-flow-run" } => "Cancel the flow run",
            FlowRunStateAction { Type: "suspend-flow-run" } => "Suspend the flow run",
            FlowRunStateAction s => $"Change the flow run's state to {s.Name ?? s.State?.ToString() ?? "?"}" + (s.Force ? " (forced)" : ""),
            SendNotificationAction n => $"Send a notification with block {Name(n.BlockDocumentId)}: “{n.Subject}”",
            CallWebhookAction w => $"Call the webhook of block {Name(w.BlockDocumentId)}",
            _ => action.Type,
        };
    }

    private static string Event(EventTrigger e)
    {
        var names = e.Expect.IsDefaultOrEmpty ? "any event" : string.Join(" or ", e.Expect);
        var resource = e.Match.IsEmpty ? "" : " for " + string.Join(", ", e.Match.Labels.Select(l => l.Key == "prefect.resource.id"
            ? string.Join(" or ", l.Value)
            : $"{l.Key}={string.Join("|", l.Value)}"));
        var after = e.After.IsDefaultOrEmpty ? "" : $" after {string.Join(" or ", e.After)}";
        var each = e.ForEach.IsDefaultOrEmpty ? "" : $", for each {string.Join(", ", e.ForEach)}";
        var times = e.Threshold == 1 ? "" : $" {e.Threshold.ToString(CultureInfo.InvariantCulture)} times";
        var within = e.Within > TimeSpan.Zero ? $" within {Format.Duration(e.Within.TotalSeconds)}" : "";
        return e.Posture == Posture.Proactive
            ? $"When {names} does not occur{times}{resource}{within}{after}{each}"
            : $"When {names} occurs{times}{resource}{within}{after}{each}";
    }

    private static string Require(CompoundTrigger c) => c.Require switch
    {
        "any" => "any",
        "all" => "all",
        var n => n,
    };

    private static string Window(TimeSpan? within) => within is { } w && w > TimeSpan.Zero ? $" within {Format.Duration(w.TotalSeconds)}" : "";

    private static string Count(int n, string noun) => $"{n.ToString(CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";

    private static string Kind(TargetedAction t) => t.ResourceKind["prefect.".Length..].Replace('-', ' ');
}
