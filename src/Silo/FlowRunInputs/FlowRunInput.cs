namespace OrleansFlow.Silo.FlowRunInputs;

/// <summary>A key/value input of a flow run (Prefect 2.15+'s <c>FlowRunInput</c>): what <c>pause_flow_run(wait_for_input=...)</c>,
/// <c>send_input</c> and <c>receive_input</c> exchange. Deleted with the run.</summary>
public sealed record FlowRunInput
{
    /// <summary>The input's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The run it belongs to.</summary>
    public required Guid FlowRunId { get; init; }

    /// <summary>The key, unique within the run (lowercase letters, numbers and dashes).</summary>
    public required string Key { get; init; }

    /// <summary>The value as the client sent it (a JSON document, as text).</summary>
    public required string Value { get; init; }

    /// <summary>Who sent it, if said.</summary>
    public string? Sender { get; init; }
}
