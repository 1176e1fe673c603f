using Microsoft.Extensions.Logging;
using OrleansFlow.Grains.Hosting;

namespace OrleansFlow.Grains.Notifications;

/// <summary>The flow run notification sender (see <see cref="IFlowRunNotificationGrain"/>): single activation, so a
/// queued notification is sent by one silo at a time; calls are not interleaved, so a wake-up during a drain waits for
/// it and then finds nothing left.</summary>
internal sealed partial class FlowRunNotificationGrain(IGrainServices services, IFlowRunNotificationOutbox outbox,
    ILogger<FlowRunNotificationGrain> logger)
    : Grain, IFlowRunNotificationGrain, IRemindable
{
    /// <summary>How often the timer drains the queue (Prefect's notification service: every 4 s).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private const string Reminder = "flow-run-notifications";
    private IGrainTimer? _timer;

    public async Task StartAsync()
    {
        if (_timer is not null)
        {
            return;
        }

        _timer = await KeptAliveLoop.StartAsync(this, services.Settings, Reminder, Interval, static grain => grain.TickAsync());
    }

    public async Task<int> DrainAsync()
    {
        var total = 0;
        int handled;
        do
        {
            handled = await outbox.SendNextAsync(CancellationToken.None);
            total += handled;
        }
        while (handled >= outbox.BatchSize);
        return total;
    }

    public async Task WakeAsync()
    {
        await StartAsync();
        await TickAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == Reminder)
        {
            await StartAsync();
        }
    }

    private async Task TickAsync()
    {
        try
        {
            await DrainAsync();
        }
        catch (Exception ex)
        {
            // What was not marked sent stays queued: the next tick sends it.
            Log.DrainFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4320, Level = LogLevel.Error, Message = "Sending flow run notifications failed; the next tick tries again")]
        public static partial void DrainFailed(ILogger logger, Exception exception);
    }
}
