using System.Text.Json.Serialization;

namespace OrleansFlow.Client;

/// <summary>The type of a run's state, written in upper case on the wire (<c>"COMPLETED"</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StateType>))]
public enum StateType
{
    /// <summary>Waiting for its scheduled time.</summary>
    [JsonStringEnumMemberName("SCHEDULED")]
    Scheduled,

    /// <summary>About to run (infrastructure starting, or waiting for upstream).</summary>
    [JsonStringEnumMemberName("PENDING")]
    Pending,

    /// <summary>Running.</summary>
    [JsonStringEnumMemberName("RUNNING")]
    Running,

    /// <summary>Finished successfully (terminal).</summary>
    [JsonStringEnumMemberName("COMPLETED")]
    Completed,

    /// <summary>Finished with an error (terminal).</summary>
    [JsonStringEnumMemberName("FAILED")]
    Failed,

    /// <summary>Stopped by a user (terminal).</summary>
    [JsonStringEnumMemberName("CANCELLED")]
    Cancelled,

    /// <summary>Its infrastructure failed (terminal).</summary>
    [JsonStringEnumMemberName("CRASHED")]
    Crashed,

    /// <summary>Paused, waiting to be resumed.</summary>
    [JsonStringEnumMemberName("PAUSED")]
    Paused,

    /// <summary>Asked to stop; its infrastructure is being torn down.</summary>
    [JsonStringEnumMemberName("CANCELLING")]
    Cancelling,
}
