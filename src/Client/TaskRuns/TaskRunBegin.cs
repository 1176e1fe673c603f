namespace OrleansFlow.Client;

/// <summary>Body of <c>POST /api/task_runs/begin</c> (an OrleansFlow extension): create the task run, then propose
/// <paramref name="State"/> for it, in one round trip.</summary>
/// <param name="TaskRun">The task run to create.</param>
/// <param name="State">The state proposed once it exists, usually RUNNING.</param>
public sealed record TaskRunBegin(TaskRunCreate TaskRun, StateCreate State);
