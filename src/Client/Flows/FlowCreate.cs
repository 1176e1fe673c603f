namespace OrleansFlow.Client;

/// <summary>Body of <c>POST /api/flows/</c> (an upsert by name).</summary>
/// <param name="Name">The flow's name.</param>
/// <param name="Tags">Its tags; none by default.</param>
public sealed record FlowCreate(string Name, IReadOnlyList<string>? Tags = null);
