namespace OrleansFlow.Worker;

/// <summary>Ends the task runs a dead flow process (or pod) left RUNNING, so their tag concurrency slots are released at
/// once instead of after the server's heartbeat timeout.</summary>
internal static class TaskRunCleanup
{
    /// <summary>Proposes <paramref name="type"/> for each RUNNING task run of <paramref name="flowRunId"/>, forcing it when
    /// the rules refuse: the process is gone, nothing else will end them.</summary>
    public static async Task EndRunningAsync(WorkerApi api, TextWriter log, Guid flowRunId, string type, string name, string message,
        CancellationToken cancellationToken)
    {
        foreach (var taskRun in await api.GetTaskRunIdsAsync(flowRunId, "RUNNING", cancellationToken).ConfigureAwait(false))
        {
            if (await api.SetTaskRunStateAsync(taskRun, type, name, message, force: false, cancellationToken).ConfigureAwait(false) != "ACCEPT")
            {
                await api.SetTaskRunStateAsync(taskRun, type, name, message, force: true, cancellationToken).ConfigureAwait(false);
            }

            await log.WriteLineAsync($"Run {flowRunId}: task run {taskRun} left RUNNING is now {type}.").ConfigureAwait(false);
        }
    }
}
