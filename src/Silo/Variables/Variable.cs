namespace OrleansFlow.Silo.Variables;

/// <summary>A named string value that flows read at run time (Prefect's variables).</summary>
public sealed record Variable
{
    /// <summary>The most characters a name may have.</summary>
    public const int MaxNameLength = 255;

    /// <summary>The most characters a value may have.</summary>
    public const int MaxValueLength = 5000;

    /// <summary>The variable's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The unique name (lowercase letters, numbers and underscores).</summary>
    public required string Name { get; init; }

    /// <summary>The value.</summary>
    public required string Value { get; init; }

    /// <summary>The tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}
