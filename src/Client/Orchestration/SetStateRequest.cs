namespace OrleansFlow.Client;

/// <summary>Body of <c>POST /api/flow_runs/{id}/set_state</c> and <c>POST /api/task_runs/{id}/set_state</c>.</summary>
/// <param name="State">The proposed state.</param>
/// <param name="Force">Skip the orchestration rules (an operator's override); false for every normal proposal.</param>
public sealed record SetStateRequest(StateCreate State, bool Force = false);
