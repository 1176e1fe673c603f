using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.WorkPools;

namespace OrleansFlow.Silo.Background;

/// <summary>Renames SCHEDULED runs that are <see cref="LateAfter"/> past due to <c>Late</c> (through the flow-run grain,
/// whose rules refuse it for a run that started meanwhile), and drops expired worker claims. One tick runs under the
/// <c>late-runs</c> lease.</summary>
/// <param name="silo">The runtime.</param>
/// <param name="owner">This server's lease owner id.</param>
public sealed class LateRunsProcess(OrleansFlowSilo silo, string owner) : IBackgroundProcess
{
    private const int Batch = 500;

    /// <summary>How long past due a scheduled run is late (Prefect's default: 15 s).</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromSeconds(15);

    /// <inheritdoc />
    public string Name => "late-runs";

    /// <summary>Where an object that fails a tick is reported (the tick skips it and goes on); default none.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <inheritdoc />
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        if (!await Lease.TryAcquireAsync(silo, Name, owner, Interval * 3, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var now = silo.Clock.GetUtcNow();
        await silo.Database.WriteAsync(session => WorkPoolStore.ExpireClaimsAsync(session, now, cancellationToken), cancellationToken).ConfigureAwait(false);
        var due = await silo.Database.ReadAsync(async session =>
        {
            await using var command = session.Named("reminders.late_runs").Add("before", now - LateAfter).Add("limit", Batch);
            return await command.ListAsync(r => Storage.Rows.Guid(r, 0), cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        var marked = 0;
        foreach (var id in due)
        {
            try
            {
                marked += await MarkLateAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not DbException)
            {
                BackgroundLog.Skipped(Logger, ex, Name, "flow run", id);
            }
        }

        return marked;
    }

    private async Task<int> MarkLateAsync(Guid id, CancellationToken cancellationToken)
    {
        var grain = silo.FlowRun(id);
        if (await grain.GetAsync(cancellationToken).ConfigureAwait(false) is not { } run)
        {
            return 0;
        }

        var late = new ProposedState
        {
            Type = StateType.Scheduled,
            Name = "Late",
            StateDetails = new StateDetails { ScheduledTime = run.NextScheduledStartTime ?? run.ExpectedStartTime },
        };
        try
        {
            return (await grain.SetStateAsync(late, force: false, cancellationToken).ConfigureAwait(false)).Written ? 1 : 0;
        }
        catch (Exception ex) when (ex is KeyNotFoundException or ConcurrencyConflictException)
        {
            // Deleted or changed meanwhile: the next tick looks again.
            return 0;
        }
    }
}
