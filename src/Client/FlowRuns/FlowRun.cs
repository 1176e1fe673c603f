using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFlow.Client;

/// <summary>A flow run as the server answers it (the fields OrleansFlow's tools read; the rest is in <see cref="Extra"/>).</summary>
public sealed record FlowRun
{
    /// <summary>The run's id.</summary>
    public Guid Id { get; init; }

    /// <summary>The run's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The flow.</summary>
    public Guid FlowId { get; init; }

    /// <summary>The deployment, if any.</summary>
    public Guid? DeploymentId { get; init; }

    /// <summary>The work queue it was scheduled into, if any.</summary>
    public string? WorkQueueName { get; init; }

    /// <summary>The run's parameters.</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>The current state's type.</summary>
    public StateType? StateType { get; init; }

    /// <summary>The current state's name.</summary>
    public string? StateName { get; init; }

    /// <summary>The current state.</summary>
    public State? State { get; init; }

    /// <summary>When the run is due next.</summary>
    public DateTimeOffset? NextScheduledStartTime { get; init; }

    /// <summary>When the run was expected to start.</summary>
    public DateTimeOffset? ExpectedStartTime { get; init; }

    /// <summary>The id of the run's infrastructure.</summary>
    public string? InfrastructurePid { get; init; }

    /// <summary>Tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>When the run is due: its SCHEDULED state's time, else the next scheduled or expected start time.</summary>
    [JsonIgnore]
    public DateTimeOffset? DueTime => State?.StateDetails.ScheduledTime ?? NextScheduledStartTime ?? ExpectedStartTime;

    /// <summary>Other fields the server sent.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
