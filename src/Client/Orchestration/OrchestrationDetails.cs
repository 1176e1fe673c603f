namespace OrleansFlow.Client;

/// <summary>Why the server answered as it did (<c>accept_details</c>, <c>reject_details</c>, <c>wait_details</c>,
/// <c>abort_details</c>).</summary>
public sealed record OrchestrationDetails
{
    /// <summary>The kind of details, e.g. <c>wait_details</c>.</summary>
    public string Type { get; init; } = "";

    /// <summary>The reason, when the server gave one.</summary>
    public string? Reason { get; init; }

    /// <summary>For WAIT: how long to wait before proposing again.</summary>
    public double? DelaySeconds { get; init; }
}
