using System.Text.Json.Nodes;

namespace OrleansFlow.Client;

/// <summary>Body of <c>POST /api/deployments/{id}/create_flow_run</c>.</summary>
public sealed record DeploymentFlowRunCreate
{
    /// <summary>Parameters that override the deployment's defaults.</summary>
    public JsonObject? Parameters { get; init; }

    /// <summary>The run's name; the server picks one when null.</summary>
    public string? Name { get; init; }

    /// <summary>Tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }
}
