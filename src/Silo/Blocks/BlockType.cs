namespace OrleansFlow.Silo.Blocks;

/// <summary>A block type: the kind of configuration a block document holds (e.g. <c>local-file-system</c>,
/// <c>secret</c>). Protected types are the system's own and cannot be changed through the API.</summary>
public sealed record BlockType
{
    /// <summary>The block type's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The display name, e.g. <c>Local File System</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The unique slug, e.g. <c>local-file-system</c>.</summary>
    public required string Slug { get; init; }

    /// <summary>A URL of the type's logo, or null.</summary>
    public string? LogoUrl { get; init; }

    /// <summary>A URL of the type's documentation, or null.</summary>
    public string? DocumentationUrl { get; init; }

    /// <summary>A short description, or null.</summary>
    public string? Description { get; init; }

    /// <summary>A code snippet showing the block in use, or null.</summary>
    public string? CodeExample { get; init; }

    /// <summary>True for system types, which the API may neither change nor delete.</summary>
    public bool IsProtected { get; init; }
}
