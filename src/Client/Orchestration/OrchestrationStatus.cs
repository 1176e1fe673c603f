using System.Text.Json.Serialization;

namespace OrleansFlow.Client;

/// <summary>The server's answer to a proposed state.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrchestrationStatus>))]
public enum OrchestrationStatus
{
    /// <summary>The proposed state was recorded.</summary>
    [JsonStringEnumMemberName("ACCEPT")]
    Accept,

    /// <summary>Another state was recorded instead (see the result's state).</summary>
    [JsonStringEnumMemberName("REJECT")]
    Reject,

    /// <summary>Nothing changed: propose again after <see cref="OrchestrationDetails.DelaySeconds"/>.</summary>
    [JsonStringEnumMemberName("WAIT")]
    Wait,

    /// <summary>The run must not go on.</summary>
    [JsonStringEnumMemberName("ABORT")]
    Abort,
}
