using System.Collections.Immutable;

namespace OrleansFlow.Grains.Automations;

/// <summary>An automation (Prefect 3's <c>Automation</c>): a trigger and the actions taken when it fires. Its wire JSON
/// is read and written by <see cref="AutomationJson"/>.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(AutomationJsonConverter))]
public sealed record Automation
{
    /// <summary>The automation's id.</summary>
    public Guid Id { get; init; }

    /// <summary>Its name (required, not empty).</summary>
    public required string Name { get; init; }

    /// <summary>A longer description (default empty).</summary>
    public string Description { get; init; } = "";

    /// <summary>Whether it is evaluated (default true).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Its tags.</summary>
    public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary>Its trigger.</summary>
    public required AutomationTrigger Trigger { get; init; }

    /// <summary>The actions taken on every firing.</summary>
    public ImmutableArray<AutomationAction> Actions { get; init; } = [];

    /// <summary>The actions taken when it goes into the triggered state (every firing here).</summary>
    public ImmutableArray<AutomationAction> ActionsOnTrigger { get; init; } = [];

    /// <summary>The actions taken when it resolves (kept and returned; OrleansFlow's triggers never resolve).</summary>
    public ImmutableArray<AutomationAction> ActionsOnResolve { get; init; } = [];

    /// <summary>The resource that owns it (<c>owner_resource</c> of a create; not part of the returned JSON).</summary>
    public string? OwnerResource { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it was last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The actions of one firing, in Prefect's order: <see cref="Actions"/> then <see cref="ActionsOnTrigger"/>.</summary>
    public IReadOnlyList<AutomationAction> ActionsOnFiring() => [.. Actions, .. ActionsOnTrigger];

    /// <summary>The resource ids the automation relates to (Prefect relates an automation to the deployments its
    /// selected run-deployment actions run: <c>prefect.deployment.{id}</c>), plus its owner.</summary>
    public IReadOnlyList<string> RelatedResourceIds() =>
    [
        .. ActionsOnFiring().Concat(ActionsOnResolve).OfType<RunDeploymentAction>()
            .Where(a => a.Source == ActionSource.Selected && a.DeploymentId is not null)
            .Select(a => $"prefect.deployment.{a.DeploymentId}")
            .Distinct(StringComparer.Ordinal),
    ];
}
