namespace OrleansFlow.Client;

/// <summary>The id and name the server gave a new flow run or task run, and its state (for a task run that existed
/// already, e.g. one a retried flow run completed in an earlier attempt).</summary>
internal sealed record CreatedRun(Guid Id, string Name, OrleansFlow.Grains.States.State? State = null);
