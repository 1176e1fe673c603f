namespace OrleansFlow.Client;

/// <summary>The <c>state</c> part of a run filter.</summary>
/// <param name="Type">Only runs whose state has one of these types.</param>
public sealed record StateCondition(AnyOf<StateType> Type);
