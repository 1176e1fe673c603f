namespace OrleansFlow.Runtime;

/// <summary>The id and name the server gave a new flow run or task run.</summary>
internal sealed record CreatedRun(Guid Id, string Name);
