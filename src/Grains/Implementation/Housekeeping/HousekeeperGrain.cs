using System.Data.Common;
using Microsoft.Extensions.Logging;
using OrleansFlow.Grains.Hosting;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.Housekeeping;

/// <summary>The housekeeper grain (see <see cref="IHousekeeperGrain"/>): a grain timer sweeps every
/// <see cref="Interval"/> while the activation lives, and a reminder every minute (or every schedule period, if longer) reactivates it (on any silo) when it
/// does not. It replaces the lease-guarded late-runs process: Orleans' single activation is the lease.</summary>
internal sealed partial class HousekeeperGrain(IGrainServices services, IHousekeepingStore store, ILogger<HousekeeperGrain> logger)
    : Grain, IHousekeeperGrain, IRemindable
{
    /// <summary>How long past due a scheduled run is late (Prefect's default: 15 s).</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromSeconds(15);

    /// <summary>How often the sweep runs.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private const string Reminder = "housekeeping";
    private const int Batch = 500;
    private readonly HashSet<Guid> _notReadyEmitted = [];
    private IGrainTimer? _timer;

    public async Task StartAsync()
    {
        if (_timer is not null)
        {
            return;
        }

        _timer = await KeptAliveLoop.StartAsync(this, services.Settings, Reminder, Interval, static grain => grain.TickAsync());
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == Reminder)
        {
            await StartAsync();
        }
    }

    public async Task<int> SweepAsync()
    {
        var now = services.Clock.GetUtcNow();
        await store.ExpireClaimsAsync(now, CancellationToken.None);
        await store.ForgetHeartbeatsAsync(now - services.Settings.HeartbeatTimeout, CancellationToken.None);
        await DeleteOldEventsAsync(now);
        await store.EmitNotReadyAsync(_notReadyEmitted, now, CancellationToken.None);
        if (_notReadyEmitted.Count > 10_000)
        {
            // The ids only spare repeated inserts (the store ignores an id it has); forgetting them is harmless.
            _notReadyEmitted.Clear();
        }

        var due = await store.LateRunsAsync(now - LateAfter, Batch, CancellationToken.None);

        if (Telemetry.OrleansFlowTelemetry.QueueDepthObserved)
        {
            await RecordQueueDepthsAsync(now);
        }

        var marked = 0;
        foreach (var id in due)
        {
            try
            {
                marked += await MarkLateAsync(id);
            }
            catch (Exception ex) when (ex is not DbException)
            {
                LogSkipped(logger, ex, id);
            }
        }

        return marked;
    }

    /// <summary>Reads the due runs per pool and queue for the <c>orleansflow.work_queue.depth</c> gauge (only while
    /// something listens to OrleansFlow's meter).</summary>
    private async Task RecordQueueDepthsAsync(DateTimeOffset now)
    {
        var depths = await store.QueueDepthsAsync(now, CancellationToken.None);
        Telemetry.OrleansFlowTelemetry.RecordQueueDepths(depths, now);
    }

    /// <summary>Deletes events older than the retention, a batch per transaction and a few batches per sweep, so a large
    /// backlog (retention shortened, server down for days) never holds the writer for long.</summary>
    private async Task DeleteOldEventsAsync(DateTimeOffset now)
    {
        const int EventBatch = 1000;
        const int BatchesPerSweep = 10;
        for (var i = 0; i < BatchesPerSweep; i++)
        {
            if (await store.DeleteEventsOlderThanAsync(now - services.Settings.EventRetention, EventBatch, CancellationToken.None) < EventBatch)
            {
                return;
            }
        }
    }

    private async Task TickAsync()
    {
        try
        {
            await SweepAsync();
        }
        catch (Exception ex)
        {
            LogSweepFailed(logger, ex);
        }
    }

    private async Task<int> MarkLateAsync(Guid id)
    {
        var grain = GrainFactory.FlowRun(id);
        if (await grain.GetAsync() is not { } run)
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
            return (await grain.SetStateAsync(late, force: false)).Written ? 1 : 0;
        }
        catch (Exception ex) when (ex is KeyNotFoundException or ConcurrencyConflictException)
        {
            // Deleted or changed meanwhile: the next sweep looks again.
            return 0;
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Background process housekeeping skipped flow run {Id}, which failed")]
    private static partial void LogSkipped(ILogger logger, Exception exception, Guid id);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "The housekeeping sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
