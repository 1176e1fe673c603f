using OrleansFlow.Client;

namespace OrleansFlow.Worker;

/// <summary>What every worker does with the server around a claimed run.</summary>
internal static class RunClaims
{
    /// <summary>One poll of a worker: claims the pool's runs due within <paramref name="wait"/> (waiting up to that long on
    /// the server while there are none), at most <paramref name="freeSlots"/> of them (null: no limit; 0 asks for nothing),
    /// and hands each to <paramref name="submit"/> at its due time. Answers how many <paramref name="submit"/> started.</summary>
    public static async Task<int> ClaimAndSubmitAsync(OrleansFlowClient api, WorkerOptions options, int? freeSlots, TimeSpan wait,
        Func<FlowRun, CancellationToken, Task<bool>> submit, CancellationToken cancellationToken)
    {
        if (freeSlots is 0)
        {
            return 0;
        }

        var runs = await api.GetScheduledFlowRunsAsync(options.Pool,
            GetScheduledFlowRuns.For(options.Queues, freeSlots, wait, options.Name, DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
        var started = await Task.WhenAll(runs.Select(async claimed =>
        {
            await JobConfiguration.WaitUntilDueAsync(claimed.FlowRun, cancellationToken).ConfigureAwait(false);
            return await submit(claimed.FlowRun, cancellationToken).ConfigureAwait(false);
        })).ConfigureAwait(false);
        return started.Count(s => s);
    }

    /// <summary>Proposes PENDING for a claimed run, as a worker does before it starts the run's infrastructure.</summary>
    /// <returns>True when accepted; false (and a line on <paramref name="log"/>) when another worker has the run or it
    /// cannot start.</returns>
    public static async Task<bool> ProposePendingAsync(OrleansFlowClient api, Guid id, TextWriter log, CancellationToken cancellationToken)
    {
        var answer = await api.SetFlowRunStateAsync(id, new StateCreate(StateType.Pending, "Pending"), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (answer.Status == OrchestrationStatus.Accept)
        {
            return true;
        }

        await log.WriteLineAsync($"Run {id}: PENDING answered {answer.Status.ToString().ToUpperInvariant()}; skipping it.").ConfigureAwait(false);
        return false;
    }

    /// <summary>Proposes <paramref name="type"/> (named after it) for a flow run the worker ends.</summary>
    public static Task<OrchestrationResult> EndAsync(OrleansFlowClient api, Guid id, StateType type, string message, CancellationToken cancellationToken) =>
        api.SetFlowRunStateAsync(id, new StateCreate(type, Name(type), message), cancellationToken: cancellationToken);

    /// <summary>Prefect's default name of a state type (<c>Crashed</c> for CRASHED).</summary>
    public static string Name(StateType type) => type switch
    {
        StateType.Cancelled => "Cancelled",
        StateType.Crashed => "Crashed",
        StateType.Cancelling => "Cancelling",
        StateType.Failed => "Failed",
        StateType.Completed => "Completed",
        _ => type.ToString(),
    };
}
