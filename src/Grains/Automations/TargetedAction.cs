namespace OrleansFlow.Grains.Automations;

/// <summary>An action on one deployment, work queue, work pool or automation: selected by <see cref="TargetId"/> or
/// inferred from the triggering event. <see cref="Type"/> is one of <c>pause-deployment</c>, <c>resume-deployment</c>,
/// <c>pause-work-queue</c>, <c>resume-work-queue</c>, <c>pause-work-pool</c>, <c>resume-work-pool</c>,
/// <c>pause-automation</c>, <c>resume-automation</c>.</summary>
public sealed record TargetedAction : AutomationAction
{
    /// <summary>The action types of this shape, each with its id field on the wire.</summary>
    public static IReadOnlyDictionary<string, string> IdFields { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["pause-deployment"] = "deployment_id",
        ["resume-deployment"] = "deployment_id",
        ["pause-work-queue"] = "work_queue_id",
        ["resume-work-queue"] = "work_queue_id",
        ["pause-work-pool"] = "work_pool_id",
        ["resume-work-pool"] = "work_pool_id",
        ["pause-automation"] = "automation_id",
        ["resume-automation"] = "automation_id",
    };

    private readonly string _type = "";

    /// <inheritdoc/>
    public override string Type => _type;

    /// <summary>The action type (a key of <see cref="IdFields"/>).</summary>
    /// <exception cref="ArgumentException">Not one of those types.</exception>
    public required string ActionType
    {
        get => _type;
        init => _type = IdFields.ContainsKey(value) ? value : throw new ArgumentException($"'{value}' is not a targeted action type.", nameof(value));
    }

    /// <summary>Selected (by <see cref="TargetId"/>) or inferred.</summary>
    public ActionSource Source { get; init; } = ActionSource.Selected;

    /// <summary>The deployment, work queue, work pool or automation when selected; null when inferred.</summary>
    public Guid? TargetId { get; init; }

    /// <summary>The wire name of <see cref="TargetId"/>, e.g. <c>deployment_id</c>.</summary>
    public string IdField => IdFields[_type];

    /// <summary>Whether the action pauses (else it resumes).</summary>
    public bool Pauses => _type.StartsWith("pause-", StringComparison.Ordinal);

    /// <summary>The kind of the target's resource id: <c>prefect.deployment</c>, <c>prefect.work-queue</c>,
    /// <c>prefect.work-pool</c> or <c>prefect.automation</c>.</summary>
    public string ResourceKind => "prefect." + _type[(_type.IndexOf('-', StringComparison.Ordinal) + 1)..];
}
