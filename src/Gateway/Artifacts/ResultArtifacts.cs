using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Artifacts;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.Artifacts;

/// <summary>The result artifact of an accepted state, as Prefect 2 records one: a proposed state's non-null
/// <c>data</c> becomes an artifact of the run, taking <c>artifact_key</c>, <c>artifact_type</c> and
/// <c>artifact_description</c> out of the data (so the state keeps e.g. <c>{"type": "unpersisted"}</c>).</summary>
internal static class ResultArtifacts
{
    private static readonly string[] ArtifactFields = ["artifact_key", "artifact_type", "artifact_description"];

    /// <summary>The proposal with the artifact fields taken out of its data, and the artifact to record if it is
    /// accepted (null when the proposal carries no data).</summary>
    public static (ProposedState? Proposal, Artifact? Artifact) Split(ProposedState? proposal)
    {
        if (proposal?.Data is not { } data || data.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return (proposal, null);
        }

        if (data.ValueKind != JsonValueKind.Object || !ArtifactFields.Any(field => data.TryGetProperty(field, out _)))
        {
            return (proposal, new Artifact { Id = Guid.Empty, Data = data });
        }

        var stripped = new JsonObject();
        foreach (var property in data.EnumerateObject())
        {
            if (!ArtifactFields.Contains(property.Name))
            {
                stripped[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }

        using var document = JsonDocument.Parse(stripped.ToJsonString());
        var storedData = document.RootElement.Clone();
        var artifact = new Artifact
        {
            Id = Guid.Empty,
            Key = Text(data, "artifact_key"),
            Type = Text(data, "artifact_type"),
            Description = Text(data, "artifact_description"),
            Data = storedData,
        };
        return (proposal with { Data = storedData }, artifact);
    }

    /// <summary>Records <paramref name="artifact"/> for the run when the proposal was accepted.</summary>
    public static async Task RecordAsync(OrleansFlowSilo silo, Artifact? artifact, OrchestrationResult result, Guid? flowRunId, Guid? taskRunId,
        CancellationToken cancellationToken)
    {
        if (artifact is null || result.Status != OrchestrationStatus.Accept)
        {
            return;
        }

        await new ArtifactCatalog(silo).CreateAsync(artifact with { FlowRunId = flowRunId, TaskRunId = taskRunId }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records <paramref name="artifact"/> for a run just created in its proposed state.</summary>
    public static async Task RecordCreatedAsync(OrleansFlowSilo silo, Artifact? artifact, bool created, Guid? flowRunId, Guid? taskRunId,
        CancellationToken cancellationToken)
    {
        if (artifact is null || !created)
        {
            return;
        }

        await new ArtifactCatalog(silo).CreateAsync(artifact with { FlowRunId = flowRunId, TaskRunId = taskRunId }, cancellationToken).ConfigureAwait(false);
    }

    // Prefect keeps a falsy value out of the artifact (an empty description is none).
    private static string? Text(JsonElement data, string field) =>
        data.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
