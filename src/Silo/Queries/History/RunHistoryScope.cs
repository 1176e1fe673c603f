namespace OrleansFlow.Silo.Queries.History;

/// <summary>Which flow runs a history covers: all of them, one flow's, one deployment's, or one work pool's.</summary>
/// <param name="FlowId">Only this flow's runs, when set.</param>
/// <param name="DeploymentId">Only this deployment's runs, when set.</param>
/// <param name="WorkPoolId">Only runs sent to this work pool, when set.</param>
public sealed record RunHistoryScope(Guid? FlowId = null, Guid? DeploymentId = null, Guid? WorkPoolId = null)
{
    /// <summary>Every flow run.</summary>
    public static RunHistoryScope All { get; } = new();
}
