namespace OrleansFlow.Client;

/// <summary>A flow as the server answers it.</summary>
public sealed record Flow
{
    /// <summary>The flow's id.</summary>
    public Guid Id { get; init; }

    /// <summary>The flow's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Its tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}
