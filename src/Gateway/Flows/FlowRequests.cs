namespace OrleansFlow.Gateway.Flows;

/// <summary>Body of <c>POST /api/flows/</c>.</summary>
public sealed class FlowCreateRequest
{
    /// <summary>The flow's name (required, unique).</summary>
    public string? Name { get; init; }

    /// <summary>The flow's tags.</summary>
    public List<string>? Tags { get; init; }
}

/// <summary>Body of <c>PATCH /api/flows/{id}</c>.</summary>
public sealed class FlowUpdateRequest
{
    /// <summary>New tags; null keeps them.</summary>
    public List<string>? Tags { get; init; }
}
