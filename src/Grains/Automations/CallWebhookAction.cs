namespace OrleansFlow.Grains.Automations;

/// <summary><c>call-webhook</c>: calls a webhook block with <see cref="Payload"/> (a template).</summary>
public sealed record CallWebhookAction : AutomationAction
{
    /// <inheritdoc/>
    public override string Type => "call-webhook";

    /// <summary>The webhook block document.</summary>
    public required Guid BlockDocumentId { get; init; }

    /// <summary>The payload template (default empty).</summary>
    public string Payload { get; init; } = "";
}
