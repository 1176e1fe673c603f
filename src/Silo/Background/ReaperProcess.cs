using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Background;

/// <summary>The crashed-run reaper (an OrleansFlow extension). A flow run that is RUNNING or CANCELLING and whose latest
/// heartbeat (or the time it entered that state, when later) is older than <see cref="SiloOptions.HeartbeatTimeout"/> is
/// proposed CRASHED (a CANCELLING one CANCELLED, the only state its rules allow) through the flow-run grain; then each of
/// its task runs still RUNNING is proposed CRASHED too, and the task rules give back their tag concurrency slots. A run
/// that never sent a heartbeat is left alone unless <see cref="SiloOptions.HeartbeatsRequired"/> is set (then it counts
/// from the time it entered its state). Task runs left RUNNING in a run that ended CRASHED or CANCELLED by another path
/// (a worker reporting a killed process) more than one timeout ago are ended the same way. One tick runs under the
/// <c>reaper</c> lease.</summary>
/// <param name="silo">The runtime.</param>
/// <param name="owner">This server's lease owner id.</param>
public sealed class ReaperProcess(OrleansFlowSilo silo, string owner) : IBackgroundProcess
{
    private const int Batch = 500;

    /// <inheritdoc />
    public string Name => "reaper";

    /// <summary>Where an object that fails a tick is reported (the tick skips it and goes on); default none.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <inheritdoc />
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    /// <returns>How many flow and task runs the tick ended.</returns>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        if (!await Lease.TryAcquireAsync(silo, Name, owner, Interval * 3, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var timeout = silo.Options.HeartbeatTimeout;
        var before = silo.Clock.GetUtcNow() - timeout;
        var silent = await silo.Database.ReadAsync(async session =>
        {
            await using var command = session.Named(silo.Options.HeartbeatsRequired ? "reaper.silent_runs_any" : "reaper.silent_runs").Add("before", before).Add("limit", Batch);
            return await command.ListAsync(r => Rows.Guid(r, 0), cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        var ended = 0;
        var message = string.Create(CultureInfo.InvariantCulture, $"Flow run stopped sending heartbeats (no heartbeat for {timeout.TotalSeconds:0.###} s).");
        foreach (var id in silent)
        {
            try
            {
                ended += await EndSilentRunAsync(id, message, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not DbException)
            {
                BackgroundLog.Skipped(Logger, ex, Name, "flow run", id);
            }
        }

        var orphans = await silo.Database.ReadAsync(async session =>
        {
            await using var command = session.Named("reaper.orphaned_task_runs").Add("ended_before", before).Add("limit", Batch);
            return await command.ListAsync(r => (Id: Rows.Guid(r, 0), Type: Enum.TryParse<StateType>(r.GetString(1), ignoreCase: true, out var t) ? t : StateType.Crashed),
                cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        foreach (var (taskRunId, type) in orphans)
        {
            try
            {
                ended += await EndTaskRunAsync(taskRunId, type, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not DbException)
            {
                BackgroundLog.Skipped(Logger, ex, Name, "task run", taskRunId);
            }
        }

        await silo.Database.WriteAsync(async session =>
        {
            await using var command = session.Named("reaper.forget_heartbeats").Add("before", before);
            return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return ended;
    }

    /// <summary>Ends a silent flow run and the task runs it left RUNNING; how many runs it ended.</summary>
    private async Task<int> EndSilentRunAsync(Guid id, string message, CancellationToken cancellationToken)
    {
        if (await CrashFlowRunAsync(id, message, cancellationToken).ConfigureAwait(false) is not { } type)
        {
            return 0;
        }

        var ended = 1;
        var tasks = await silo.Database.ReadAsync(async session =>
        {
            await using var command = session.Named("reaper.running_task_runs").Add("id", id);
            return await command.ListAsync(r => Rows.Guid(r, 0), cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        foreach (var taskRunId in tasks)
        {
            try
            {
                ended += await EndTaskRunAsync(taskRunId, type, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not DbException)
            {
                BackgroundLog.Skipped(Logger, ex, Name, "task run", taskRunId);
            }
        }

        return ended;
    }

    /// <summary>Proposes the end of a silent run; the state type written, or null when the rules refused it (the run
    /// changed meanwhile) or it is gone.</summary>
    private async Task<StateType?> CrashFlowRunAsync(Guid id, string message, CancellationToken cancellationToken)
    {
        var grain = silo.FlowRun(id);
        if (await grain.GetAsync(cancellationToken).ConfigureAwait(false) is not { StateType: StateType.Running or StateType.Cancelling } run)
        {
            return null;
        }

        var proposed = run.StateType == StateType.Cancelling
            ? new ProposedState { Type = StateType.Cancelled, Message = message }
            : new ProposedState { Type = StateType.Crashed, Message = message };
        try
        {
            var result = await grain.SetStateAsync(proposed, force: false, cancellationToken).ConfigureAwait(false);
            return result.Written ? proposed.Type : null;
        }
        catch (Exception ex) when (ex is KeyNotFoundException or ConcurrencyConflictException)
        {
            // Deleted or changed meanwhile: the next tick looks again.
            return null;
        }
    }

    /// <summary>Ends a task run left RUNNING in a flow run that ended <paramref name="flowRunState"/> (CANCELLED for a
    /// cancelled flow run, CRASHED otherwise); the task rules release its slots. 1 when a state was written.</summary>
    private async Task<int> EndTaskRunAsync(Guid taskRunId, StateType flowRunState, CancellationToken cancellationToken)
    {
        var proposed = flowRunState == StateType.Cancelled
            ? new ProposedState { Type = StateType.Cancelled, Message = "The flow run was cancelled while this task run was running." }
            : new ProposedState { Type = StateType.Crashed, Message = "The flow run crashed while this task run was running." };
        try
        {
            var grain = silo.TaskRun(taskRunId);
            var result = await grain.SetStateAsync(proposed, force: false, cancellationToken).ConfigureAwait(false);
            if (!result.Written && (await grain.GetAsync(cancellationToken).ConfigureAwait(false))?.StateType == StateType.Running)
            {
                // The rules refused it and the run still holds its slots: end it anyway.
                result = await grain.SetStateAsync(proposed, force: true, cancellationToken).ConfigureAwait(false);
            }

            return result.Written ? 1 : 0;
        }
        catch (Exception ex) when (ex is KeyNotFoundException or ConcurrencyConflictException)
        {
            return 0;
        }
    }
}
