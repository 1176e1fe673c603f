using OrleansFlow.Grains.States;

namespace OrleansFlow.Silo.Queries.History;

/// <summary>One state a task run entered, without its payload: what a timeline needs.</summary>
/// <param name="TaskRunId">The task run.</param>
/// <param name="Type">The state's type.</param>
/// <param name="Name">The state's name (Retrying, AwaitingRetry, ...).</param>
/// <param name="Timestamp">When the task run entered it.</param>
public sealed record TaskRunStateStep(Guid TaskRunId, StateType Type, string Name, DateTimeOffset Timestamp);
