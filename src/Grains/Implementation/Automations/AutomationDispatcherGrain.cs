using Microsoft.Extensions.Logging;
using OrleansFlow.Grains.Hosting;

namespace OrleansFlow.Grains.Automations;

/// <summary>The cluster's automation dispatcher (see <see cref="IAutomationDispatcherGrain"/>): single activation, so one
/// silo reads the events at a time; it does nothing on a silo that has no event source (<see cref="IAutomationEventDispatcherFactory.Create"/>).</summary>
internal sealed partial class AutomationDispatcherGrain(IGrainServices services, IAutomationEventDispatcherFactory dispatchers,
    ILogger<AutomationDispatcherGrain> logger)
    : Grain, IAutomationDispatcherGrain, IRemindable
{
    /// <summary>How often the timer delivers.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private const string Reminder = "automation-dispatch";
    private IGrainTimer? _timer;
    // Kept between passes: it remembers the gaps it is still looking for.
    private IAutomationEventDispatcher? _dispatcher;

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
        if ((_dispatcher ??= dispatchers.Create()) is not { } dispatcher)
        {
            return 0;
        }

        var total = 0;
        int read;
        do
        {
            read = await dispatcher.RunOnceAsync(CancellationToken.None);
            total += read;
        }
        while (read >= dispatcher.BatchSize);
        return total;
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
            // The cursor did not move: the next tick delivers the same events again (the grains ignore those applied).
            Log.DispatchFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4311, Level = LogLevel.Error, Message = "Delivering events to automations failed; the next tick tries again")]
        public static partial void DispatchFailed(ILogger logger, Exception exception);
    }
}
