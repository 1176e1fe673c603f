using OrleansFlow.Client;

namespace OrleansFlow.Worker;

/// <summary>Ends the task runs a dead flow process (or pod) left RUNNING, so their tag concurrency slots are released at
/// once instead of after the server's heartbeat timeout.</summary>
internal static class TaskRunCleanup
{
    /// <summary>Proposes <paramref name="type"/> for each RUNNING task run of <paramref name="flowRunId"/>, forcing it when
    /// the rules refuse: the process is gone, nothing else will end them.</summary>
    public static async Task EndRunningAsync(OrleansFlowClient api, TextWriter log, Guid flowRunId, StateType type, string message,
        CancellationToken cancellationToken)
    {
        var running = await api.ReadTaskRunsAsync(new TaskRunFilter
        {
            TaskRuns = new TaskRunConditions
            {
                FlowRunId = new AnyOf<Guid>([flowRunId]),
                State = new StateCondition(new AnyOf<StateType>([StateType.Running])),
            },
        }, cancellationToken).ConfigureAwait(false);
        var state = new StateCreate(type, RunClaims.Name(type), message);
        foreach (var taskRun in running.Select(r => r.Id))
        {
            if ((await api.SetTaskRunStateAsync(taskRun, state, cancellationToken: cancellationToken).ConfigureAwait(false)).Status != OrchestrationStatus.Accept)
            {
                await api.SetTaskRunStateAsync(taskRun, state, force: true, cancellationToken).ConfigureAwait(false);
            }

            await log.WriteLineAsync($"Run {flowRunId}: task run {taskRun} left RUNNING is now {type.ToWire()}.").ConfigureAwait(false);
        }
    }
}
