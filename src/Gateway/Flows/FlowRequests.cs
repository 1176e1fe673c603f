namespace OrleansFlow.Gateway.Flows;

/// <summary>Body of <c>PATCH /api/flows/{id}</c>.</summary>
public sealed class FlowUpdateRequest
{
    /// <summary>New tags; null keeps them.</summary>
    public List<string>? Tags { get; init; }
}
