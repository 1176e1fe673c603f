namespace OrleansFlow.Silo.SavedSearches;

/// <summary>A named set of filters the UI saves (Prefect's saved searches).</summary>
public sealed record SavedSearch
{
    /// <summary>The saved search's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The unique name.</summary>
    public required string Name { get; init; }

    /// <summary>The filters.</summary>
    public IReadOnlyList<SavedSearchFilter> Filters { get; init; } = [];
}
