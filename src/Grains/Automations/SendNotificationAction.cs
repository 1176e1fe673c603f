namespace OrleansFlow.Grains.Automations;

/// <summary><c>send-notification</c>: sends <see cref="Subject"/> and <see cref="Body"/> (templates) through a notification
/// block.</summary>
public sealed record SendNotificationAction : AutomationAction
{
    /// <inheritdoc/>
    public override string Type => "send-notification";

    /// <summary>The notification block document.</summary>
    public required Guid BlockDocumentId { get; init; }

    /// <summary>The subject template (default "Prefect automated notification").</summary>
    public string Subject { get; init; } = "Prefect automated notification";

    /// <summary>The body template (required).</summary>
    public required string Body { get; init; }
}
