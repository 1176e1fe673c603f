namespace OrleansFlow.Grains.Orchestration;

/// <summary>Why a proposal was decided as it was (Prefect's <c>details</c> of a set_state response).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.OrchestrationDetails")]
public sealed record OrchestrationDetails
{
    /// <summary><c>accept_details</c>, <c>reject_details</c>, <c>wait_details</c> or <c>abort_details</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The reason, for reject, wait and abort.</summary>
    public string? Reason { get; init; }

    /// <summary>For wait: how long to wait before proposing again.</summary>
    public int? DelaySeconds { get; init; }

    /// <summary>Details of an accepted proposal.</summary>
    public static OrchestrationDetails Accepted { get; } = new() { Type = "accept_details" };

    /// <summary>Details of a rejected proposal.</summary>
    public static OrchestrationDetails Rejected(string? reason) => new() { Type = "reject_details", Reason = reason };

    /// <summary>Details of a delayed proposal.</summary>
    public static OrchestrationDetails Waiting(int delaySeconds, string reason) =>
        new() { Type = "wait_details", DelaySeconds = delaySeconds, Reason = reason };

    /// <summary>Details of an aborted proposal.</summary>
    public static OrchestrationDetails Aborted(string reason) => new() { Type = "abort_details", Reason = reason };
}
