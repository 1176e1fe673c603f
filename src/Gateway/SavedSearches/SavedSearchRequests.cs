using System.Text.Json;

namespace OrleansFlow.Gateway.SavedSearches;

/// <summary>Body of <c>PUT /api/saved_searches/</c>.</summary>
public sealed class SavedSearchCreateRequest
{
    /// <summary>The unique name (required).</summary>
    public string? Name { get; init; }

    /// <summary>The filters.</summary>
    public List<SavedSearchFilterRequest?>? Filters { get; init; }
}

/// <summary>One filter of a saved search; every field is required.</summary>
public sealed class SavedSearchFilterRequest
{
    /// <summary>The object filtered.</summary>
    public string? Object { get; init; }

    /// <summary>The property filtered.</summary>
    public string? Property { get; init; }

    /// <summary>The property's type.</summary>
    public string? Type { get; init; }

    /// <summary>The operator.</summary>
    public string? Operation { get; init; }

    /// <summary>The value (any JSON, required).</summary>
    public JsonElement? Value { get; init; }
}
