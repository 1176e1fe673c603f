using System.Text.Json;

namespace OrleansFlow.Grains.FlowRuns;

/// <summary>A change to a flow run's fields that do not go through orchestration (<c>PATCH /flow_runs/{id}</c>): each
/// field that is not null replaces the run's.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.FlowRunUpdate")]
public sealed record FlowRunUpdate
{
    /// <summary>The new name.</summary>
    public string? Name { get; init; }

    /// <summary>The new flow version.</summary>
    public string? FlowVersion { get; init; }

    /// <summary>The new parameters (a JSON object).</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>The new retry and pause policy.</summary>
    public FlowRunPolicy? EmpiricalPolicy { get; init; }

    /// <summary>The new tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>The new infrastructure pid.</summary>
    public string? InfrastructurePid { get; init; }

    /// <summary>Applies the change to <paramref name="run"/>.</summary>
    public FlowRun ApplyTo(FlowRun run) => run with
    {
        Name = Name ?? run.Name,
        FlowVersion = FlowVersion ?? run.FlowVersion,
        Parameters = Parameters ?? run.Parameters,
        EmpiricalPolicy = EmpiricalPolicy ?? run.EmpiricalPolicy,
        Tags = Tags ?? run.Tags,
        InfrastructurePid = InfrastructurePid ?? run.InfrastructurePid,
    };
}
