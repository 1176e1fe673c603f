using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFlow.Client;

/// <summary>One upstream of a task's parameter (Prefect's <c>TaskRunResult</c>, <c>Parameter</c> or <c>Constant</c>).</summary>
/// <param name="InputType">The kind: <c>task_run</c>, <c>parameter</c> or <c>constant</c>.</param>
/// <param name="Id">For <c>task_run</c>: the upstream task run.</param>
/// <param name="Name">For <c>parameter</c>: the flow parameter's name.</param>
public sealed record TaskRunInput(string InputType, Guid? Id = null, string? Name = null)
{
    /// <summary>Other fields of the input (a <c>constant</c>'s <c>type</c>), kept so that the server stores the input as sent.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
