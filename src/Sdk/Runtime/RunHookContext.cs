using OrleansFlow.Client;

namespace OrleansFlow;

/// <summary>What a <see cref="IRunHook"/> learns about the run that finished.</summary>
/// <param name="IsFlowRun">True for a flow run, false for a task run.</param>
/// <param name="RunId">The flow run's or task run's id.</param>
/// <param name="RunName">The run's name.</param>
/// <param name="Name">The flow's or task's name.</param>
/// <param name="State">The final state the server recorded (null if the server did not answer with one).</param>
/// <param name="Exception">The exception the run failed with, or null.</param>
/// <param name="Result">The run's value when it completed, or null.</param>
public sealed record RunHookContext(bool IsFlowRun, Guid RunId, string RunName, string Name, State? State, Exception? Exception, object? Result);
