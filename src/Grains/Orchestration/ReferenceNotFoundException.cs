namespace OrleansFlow.Grains.Orchestration;

/// <summary>A new record names another that does not exist (e.g. a flow run's <c>flow_id</c>); nothing was written.</summary>
/// <param name="field">The field holding the dangling reference.</param>
/// <param name="message">What was not found.</param>
public sealed class ReferenceNotFoundException(string field, string message) : Exception(message)
{
    /// <summary>The field holding the dangling reference, e.g. <c>flow_id</c>.</summary>
    public string Field { get; } = field;
}
