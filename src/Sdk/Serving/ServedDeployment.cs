namespace OrleansFlow;

/// <summary>A deployment as registered on the server by <see cref="FlowServer.RegisterAsync"/>.</summary>
/// <param name="Id">The deployment's id.</param>
/// <param name="FlowId">Its flow's id.</param>
/// <param name="FlowName">Its flow's name.</param>
/// <param name="Name">The deployment's name.</param>
/// <param name="WorkPool">The pool its runs are queued in.</param>
/// <param name="WorkQueue">The queue its runs are queued in.</param>
public sealed record ServedDeployment(Guid Id, Guid FlowId, string FlowName, string Name, string WorkPool, string WorkQueue);
