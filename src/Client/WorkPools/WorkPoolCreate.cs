namespace OrleansFlow.Client;

/// <summary>Body of <c>POST /api/work_pools/</c>.</summary>
/// <param name="Name">The pool's name.</param>
/// <param name="Type">Its worker type: <c>process</c>, <c>kubernetes</c> or <c>serve</c>.</param>
/// <param name="Description">A description.</param>
public sealed record WorkPoolCreate(string Name, string Type, string? Description = null);
