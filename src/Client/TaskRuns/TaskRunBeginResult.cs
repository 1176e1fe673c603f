namespace OrleansFlow.Client;

/// <summary>The answer of <c>POST /api/task_runs/begin</c>.</summary>
/// <param name="TaskRun">The task run created.</param>
/// <param name="OrchestrationResult">The answer to the proposed state.</param>
public sealed record TaskRunBeginResult(TaskRun TaskRun, OrchestrationResult OrchestrationResult);
