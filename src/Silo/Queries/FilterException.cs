namespace OrleansFlow.Silo.Queries;

/// <summary>A filter body that cannot be understood; <see cref="Path"/> names the offending field.</summary>
public sealed class FilterException(IReadOnlyList<string> path, string message) : Exception(message)
{
    /// <summary>The JSON path of the offending field within the request body.</summary>
    public IReadOnlyList<string> Path { get; } = path;
}
