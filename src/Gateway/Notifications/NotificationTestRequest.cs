namespace OrleansFlow.Gateway.Notifications;

/// <summary>Body of <c>POST /api/notifications/test</c> (OrleansFlow's, not Prefect's): which block to try, and
/// optionally the templates to render with sample values and send.</summary>
public sealed class NotificationTestRequest
{
    /// <summary>The notification or webhook block document to send through (required).</summary>
    public Guid? BlockDocumentId { get; init; }

    /// <summary>The subject template of a notification; a sample subject when absent.</summary>
    public string? Subject { get; init; }

    /// <summary>The body template of a notification; a sample body when absent.</summary>
    public string? Body { get; init; }

    /// <summary>The payload template of a webhook call; a sample JSON payload when absent.</summary>
    public string? Payload { get; init; }
}
