namespace OrleansFlow.Grains;

/// <summary>Marks a grain method that a caller may send again when it cannot tell whether a call arrived (the silo it went
/// to died, or the connection broke, before an answer came): a second call with the same arguments has the effect of one.
/// The gateway tier repeats such calls on another silo instead of failing the HTTP request.</summary>
/// <remarks>With <see cref="WhenTransitionId"/>, the method is such a method only when the state it proposes carries a
/// transition id (<c>state_details.transition_id</c>, which Prefect 2.15+ clients and OrleansFlow's client set on every
/// <c>set_state</c>): the run then answers a copy of an applied proposal with the state it wrote, and writes nothing.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class IdempotentAttribute : Attribute
{
    /// <summary>True when the call may be repeated only if every proposed state among its arguments has a transition id.</summary>
    public bool WhenTransitionId { get; init; }
}
