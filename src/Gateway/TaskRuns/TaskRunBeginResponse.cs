using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Gateway.TaskRuns;

/// <summary>Answer of <c>POST /api/task_runs/begin</c>: the task run after the proposal, and the rules' answer to it.</summary>
/// <param name="TaskRun">The task run, with the state the proposal left it in.</param>
/// <param name="OrchestrationResult">The answer to the proposed state, as <c>set_state</c> gives it.</param>
internal sealed record TaskRunBeginResponse(TaskRun TaskRun, OrchestrationResult OrchestrationResult);
