using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Heartbeats;

/// <summary>Flow-run heartbeats (an OrleansFlow extension): one row per run in <c>flow_run_heartbeats</c>, upserted
/// apart from the run row, so that a heartbeat never takes the run's turn, touches its version or its indexes. The
/// <see cref="Background.ReaperProcess"/> reads them.</summary>
public static class FlowRunHeartbeats
{
    /// <summary>Records that the run <paramref name="flowRunId"/> is alive now (the silo's clock).</summary>
    /// <param name="silo">The runtime.</param>
    /// <param name="flowRunId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when there is no such run (nothing was written).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="silo"/> is null.</exception>
    public static Task<bool> RecordAsync(OrleansFlowSilo silo, Guid flowRunId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.Database.WriteAsync(async session =>
        {
            await using var command = session.Named("flow_runs.heartbeat").Add("id", flowRunId).Add("now", silo.Clock.GetUtcNow());
            return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    /// <summary>The time of the run's latest heartbeat; null when it never sent one (or the reaper forgot it).</summary>
    /// <param name="silo">The runtime.</param>
    /// <param name="flowRunId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentNullException"><paramref name="silo"/> is null.</exception>
    public static Task<DateTimeOffset?> LastAsync(OrleansFlowSilo silo, Guid flowRunId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.Database.ReadAsync(async session =>
        {
            await using var command = session.Named("flow_runs.heartbeat_get").Add("id", flowRunId);
            return await command.FirstOrDefaultAsync<DateTimeOffset?>(r => Rows.Time(r, 0), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }
}
