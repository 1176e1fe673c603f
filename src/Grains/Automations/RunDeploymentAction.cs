using System.Text.Json;

namespace OrleansFlow.Grains.Automations;

/// <summary><c>run-deployment</c>: creates one flow run of a deployment per firing.</summary>
public sealed record RunDeploymentAction : AutomationAction
{
    /// <inheritdoc/>
    public override string Type => "run-deployment";

    /// <summary>Selected (by <see cref="DeploymentId"/>) or inferred from the triggering event.</summary>
    public ActionSource Source { get; init; } = ActionSource.Selected;

    /// <summary>The deployment when selected.</summary>
    public Guid? DeploymentId { get; init; }

    /// <summary>Parameters overlaid on the deployment's (null: the deployment's own).</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>Job variables for the run (null: the deployment's own).</summary>
    public JsonElement? JobVariables { get; init; }

    /// <summary>How long after the firing the run is scheduled (default zero).</summary>
    public TimeSpan ScheduleAfter { get; init; }
}
