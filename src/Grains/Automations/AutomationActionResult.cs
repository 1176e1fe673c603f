namespace OrleansFlow.Grains.Automations;

/// <summary>What one action of a firing did.</summary>
public sealed record AutomationActionResult
{
    /// <summary>The status of an action not executed yet.</summary>
    public const string Pending = "pending";

    /// <summary>The status of an action that did its work.</summary>
    public const string Completed = "completed";

    /// <summary>The status of an action that could not (the reason in <see cref="Detail"/>).</summary>
    public const string Failed = "failed";

    /// <summary>The action's position among the firing's actions (<c>actions</c> then <c>actions_on_trigger</c>).</summary>
    public required int Index { get; init; }

    /// <summary>The action's wire type, e.g. <c>run-deployment</c>.</summary>
    public required string Type { get; init; }

    /// <summary><see cref="Pending"/>, <see cref="Completed"/> or <see cref="Failed"/>.</summary>
    public required string Status { get; init; }

    /// <summary>Why it failed, or what it did.</summary>
    public string? Detail { get; init; }

    /// <summary>The resource it acted on, e.g. <c>prefect.flow-run.{id}</c> for the run a run-deployment made.</summary>
    public string? ResourceId { get; init; }
}
