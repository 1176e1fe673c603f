namespace OrleansFlow.Grains.Flows;

/// <summary>A flow: the named piece of code that runs are made of.</summary>
public sealed record Flow
{
    /// <summary>The flow's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When the flow was first seen.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When the flow was last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The flow's unique name.</summary>
    public required string Name { get; init; }

    /// <summary>The flow's tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}
