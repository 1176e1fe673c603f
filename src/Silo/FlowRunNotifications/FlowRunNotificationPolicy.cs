namespace OrleansFlow.Silo.FlowRunNotifications;

/// <summary>A flow run notification policy (Prefect 2's): when a flow run enters a state named in
/// <see cref="StateNames"/> (any state when empty) and has one of <see cref="Tags"/> (any run when empty), the message
/// <see cref="MessageTemplate"/> (Prefect's default when null) is sent through the block <see cref="BlockDocumentId"/>.</summary>
public sealed record FlowRunNotificationPolicy
{
    /// <summary>The policy's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>Whether it sends notifications (a paused policy does not).</summary>
    public bool IsActive { get; init; } = true;

    /// <summary>The state names that trigger it (<c>Completed</c>, <c>Failed</c>...); empty: every state.</summary>
    public IReadOnlyList<string> StateNames { get; init; } = [];

    /// <summary>The tags of the runs it watches (a run matches with any one of them); empty: every run.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The notification block (or webhook block) the message goes through.</summary>
    public required Guid BlockDocumentId { get; init; }

    /// <summary>The message, with <c>{placeholders}</c> (<see cref="FlowRunNotificationTemplate.Placeholders"/>); null:
    /// <see cref="FlowRunNotificationTemplate.Default"/>.</summary>
    public string? MessageTemplate { get; init; }

    /// <summary>Whether the policy reacts to a run with <paramref name="tags"/> entering the state named
    /// <paramref name="stateName"/> (Prefect's rule: active, the state named or none named, a tag shared or none given).</summary>
    public bool Matches(string stateName, IReadOnlyCollection<string> tags) =>
        IsActive
        && (StateNames.Count == 0 || StateNames.Contains(stateName, StringComparer.Ordinal))
        && (Tags.Count == 0 || Tags.Any(tags.Contains));
}
