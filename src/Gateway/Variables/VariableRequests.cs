namespace OrleansFlow.Gateway.Variables;

/// <summary>Body of <c>POST /api/variables/</c>.</summary>
public sealed class VariableCreateRequest
{
    /// <summary>The unique name (required; lowercase letters, numbers and underscores; at most 255 characters).</summary>
    public string? Name { get; init; }

    /// <summary>The value (required; at most 5000 characters).</summary>
    public string? Value { get; init; }

    /// <summary>The tags.</summary>
    public List<string>? Tags { get; init; }
}

/// <summary>Body of <c>PATCH /api/variables/{id}</c> and <c>/api/variables/name/{name}</c>: null keeps a field.</summary>
public sealed class VariableUpdateRequest
{
    /// <summary>A new name.</summary>
    public string? Name { get; init; }

    /// <summary>A new value.</summary>
    public string? Value { get; init; }

    /// <summary>New tags.</summary>
    public List<string>? Tags { get; init; }
}
