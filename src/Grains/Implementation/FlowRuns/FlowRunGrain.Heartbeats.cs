using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansFlow.Grains.Hosting;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.FlowRuns;

/// <summary>The heartbeat watch of a flow run (an OrleansFlow extension). A RUNNING or CANCELLING run that has sent a
/// heartbeat (any such run when <see cref="IGrainSettings.HeartbeatsRequired"/>) is watched by its own activation: a grain
/// timer fires when <see cref="IGrainSettings.HeartbeatTimeout"/> would run out, and a reminder is the durable backstop
/// that brings the watch back on another silo when the one holding the activation dies. A run silent for the timeout
/// is proposed CRASHED (a CANCELLING one CANCELLED, the only state its rules allow), and each of its task runs still
/// RUNNING is ended the same way, which gives back their tag slots. A run that ended CRASHED or CANCELLED by another
/// path (a worker reporting a killed process) is watched for one more timeout, after which task runs it left RUNNING
/// are ended too. Nothing scans the runs table: a run no one watches costs nothing.</summary>
internal sealed partial class FlowRunGrain
{
    private const string HeartbeatReminder = "heartbeat";
    private IGrainTimer? _heartbeatTimer;
    private DateTimeOffset? _lastHeartbeat;
    private bool _heartbeatSeen;
    private bool _watching;
    private bool _ending;

    public async Task<bool> HeartbeatAsync(CancellationToken cancellationToken)
    {
        var id = Id;
        var now = services.Clock.GetUtcNow();
        var recorded = await services.Database.WriteAsync(session => store.RecordHeartbeatAsync(session, id, now, cancellationToken), cancellationToken);
        if (!recorded)
        {
            return false;
        }

        (_lastHeartbeat, _heartbeatSeen) = (now, true);
        if (await GetCurrentAsync() is { StateType: StateType.Running or StateType.Cancelling })
        {
            await WatchAsync(services.Settings.HeartbeatTimeout);
        }

        return true;
    }

    public async Task<int> CheckHeartbeatAsync(CancellationToken cancellationToken)
    {
        if (await GetCurrentAsync() is not { } run)
        {
            await StopWatchingAsync();
            return 0;
        }

        var timeout = services.Settings.HeartbeatTimeout;
        var now = services.Clock.GetUtcNow();
        var since = run.State?.Timestamp ?? run.Updated;
        switch (run.StateType)
        {
            case StateType.Running or StateType.Cancelling:
            {
                // The stored heartbeat counts too: another process on the same SQLite file may have taken one.
                var last = Later(_lastHeartbeat, await LastHeartbeatAsync(cancellationToken));
                if (last is null && !services.Settings.HeartbeatsRequired)
                {
                    await StopWatchingAsync();
                    return 0;
                }

                since = Later(since, last)!.Value;
                if (now - since < timeout)
                {
                    await WatchAsync(since + timeout - now);
                    return 0;
                }

                var ended = await EndSilentRunAsync(run, timeout, cancellationToken);
                if (ended == 0 && await GetCurrentAsync() is { StateType: StateType.Running or StateType.Cancelling })
                {
                    // Refused (the run changed meanwhile): look again after another timeout.
                    await WatchAsync(timeout);
                }

                return ended;
            }

            case StateType.Crashed or StateType.Cancelled:
                if (now - since < timeout)
                {
                    await WatchAsync(since + timeout - now);
                    return 0;
                }

                var endedTasks = await EndRunningTaskRunsAsync(run.StateType.Value, cancellationToken);
                await StopWatchingAsync();
                return endedTasks;

            default:
                await StopWatchingAsync();
                return 0;
        }
    }

    /// <summary>Called by Orleans when the heartbeat reminder fires (possibly on a new activation after a silo died).</summary>
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != HeartbeatReminder)
        {
            return Task.CompletedTask;
        }

        // The reminder exists: this activation watches the run (and unregisters the reminder when the watch ends).
        _watching = true;
        return CheckAsync();
    }

    /// <summary>After a written transition: starts, keeps or stops the watch for the run's new state.</summary>
    private async Task WatchAfterTransitionAsync(FlowRun run)
    {
        if (_ending)
        {
            return;
        }

        switch (run.StateType)
        {
            case StateType.Running or StateType.Cancelling when _heartbeatSeen || _watching || services.Settings.HeartbeatsRequired:
                await WatchAsync(services.Settings.HeartbeatTimeout);
                break;
            case StateType.Crashed or StateType.Cancelled:
                // Task runs the run left RUNNING are ended once a timeout has passed (unless their own states come first).
                if (await RunningTaskRunsAsync(CancellationToken.None) is { Count: > 0 })
                {
                    await WatchAsync(services.Settings.HeartbeatTimeout);
                }
                else
                {
                    await StopWatchingAsync();
                }

                break;
            default:
                await StopWatchingAsync();
                break;
        }
    }

    /// <summary>Arms the timer to fire after <paramref name="due"/> and makes sure the durable reminder exists.</summary>
    private async Task WatchAsync(TimeSpan due)
    {
        if (!_watching)
        {
            // The reminder only brings the watch back after a silo dies, so its period need not be tight (and may not
            // be under Orleans' minimum reminder period).
            var minimum = ServiceProvider.GetRequiredService<IOptions<ReminderOptions>>().Value.MinimumReminderPeriod;
            var period = services.Settings.HeartbeatTimeout > minimum ? services.Settings.HeartbeatTimeout : minimum;
            await this.RegisterOrUpdateReminder(HeartbeatReminder, period, period);
            _watching = true;
        }

        _heartbeatTimer?.Dispose();
        _heartbeatTimer = this.RegisterGrainTimer(static (grain, _) => grain.CheckAsync(), this,
            new GrainTimerCreationOptions(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task StopWatchingAsync()
    {
        _heartbeatTimer?.Dispose();
        _heartbeatTimer = null;
        if (!_watching)
        {
            return;
        }

        _watching = false;
        if (await this.GetReminder(HeartbeatReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task CheckAsync()
    {
        try
        {
            await CheckHeartbeatAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The reminder fires again; a database that is down now may answer then.
            LogCheckFailed(logger, ex, Id);
        }
    }

    private async Task<DateTimeOffset?> LastHeartbeatAsync(CancellationToken cancellationToken)
    {
        var id = Id;
        return await services.Database.ReadAsync(session => store.LastHeartbeatAsync(session, id, cancellationToken), cancellationToken);
    }

    /// <summary>Ends a silent run and the task runs it left RUNNING; how many runs it ended.</summary>
    private async Task<int> EndSilentRunAsync(FlowRun run, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var message = string.Create(CultureInfo.InvariantCulture, $"Flow run stopped sending heartbeats (no heartbeat for {timeout.TotalSeconds:0.###} s).");
        var proposed = run.StateType == StateType.Cancelling
            ? new ProposedState { Type = StateType.Cancelled, Message = message }
            : new ProposedState { Type = StateType.Crashed, Message = message };
        _ending = true;
        try
        {
            var result = await SetStateAsync(proposed, force: false, cancellationToken);
            if (!result.Written)
            {
                return 0;
            }

            var ended = 1 + await EndRunningTaskRunsAsync(proposed.Type, cancellationToken);
            await StopWatchingAsync();
            return ended;
        }
        finally
        {
            _ending = false;
        }
    }

    /// <summary>Ends the run's task runs still RUNNING: CANCELLED in a cancelled run, CRASHED otherwise (forced when the
    /// rules refuse, so that no slot stays held). How many it ended.</summary>
    private async Task<int> EndRunningTaskRunsAsync(StateType flowRunState, CancellationToken cancellationToken)
    {
        var running = await RunningTaskRunsAsync(cancellationToken);
        var proposed = flowRunState == StateType.Cancelled
            ? new ProposedState { Type = StateType.Cancelled, Message = "The flow run was cancelled while this task run was running." }
            : new ProposedState { Type = StateType.Crashed, Message = "The flow run crashed while this task run was running." };
        var ended = 0;
        foreach (var taskRunId in running)
        {
            try
            {
                var grain = GrainFactory.TaskRun(taskRunId);
                var result = await grain.SetStateAsync(proposed, force: false, cancellationToken);
                if (!result.Written && (await grain.GetAsync(cancellationToken))?.StateType == StateType.Running)
                {
                    result = await grain.SetStateAsync(proposed, force: true, cancellationToken);
                }

                ended += result.Written ? 1 : 0;
            }
            catch (Exception ex) when (ex is KeyNotFoundException or ConcurrencyConflictException)
            {
                // Deleted or changed meanwhile.
            }
        }

        return ended;
    }

    private Task<List<Guid>> RunningTaskRunsAsync(CancellationToken cancellationToken)
    {
        var id = Id;
        return services.Database.ReadAsync(session => store.RunningTaskRunsAsync(session, id, cancellationToken), cancellationToken);
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "The heartbeat check of flow run {FlowRunId} failed")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, Guid flowRunId);
}
