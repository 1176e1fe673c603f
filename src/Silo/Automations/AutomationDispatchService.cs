using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansFlow.Grains.Automations;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.Automations;

/// <summary>Starts the cluster's automation dispatcher grain (and the flow run notification sender) when the host starts (register it after the silo), and
/// wakes it when this process commits events, so an automation reacts within a tenth of a second instead of at the
/// dispatcher's next one-second tick. Wake-ups are spaced <see cref="WakeSpacing"/> apart: under load many commits make
/// one call.</summary>
public sealed partial class AutomationDispatchService(OrleansFlowSilo silo, ILogger<AutomationDispatchService> logger) : IHostedService
{
    /// <summary>The least time between two wake-ups of the dispatcher from this process.</summary>
    public static readonly TimeSpan WakeSpacing = TimeSpan.FromMilliseconds(100);

    private int _waking;
    private volatile bool _stopped;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        silo.Database.EventsCommitted += Wake;
        // The notification sender starts too: what was queued before a restart is sent without waiting for a new event.
        return Task.WhenAll(Dispatcher.StartAsync(), silo.Grains.GetGrain<Grains.Notifications.IFlowRunNotificationGrain>(0).StartAsync());
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        silo.Database.EventsCommitted -= Wake;
        return Task.CompletedTask;
    }

    private IAutomationDispatcherGrain Dispatcher => silo.Grains.GetGrain<IAutomationDispatcherGrain>(0);

    private void Wake(long lastSeq)
    {
        if (_stopped || Interlocked.Exchange(ref _waking, 1) == 1)
        {
            return;
        }

        _ = WakeAsync();
    }

    private async Task WakeAsync()
    {
        try
        {
            await Task.Delay(WakeSpacing).ConfigureAwait(false);
            // Commits from here on wake it again: none is missed while this drain runs.
            Volatile.Write(ref _waking, 0);
            if (!_stopped)
            {
                await Dispatcher.DrainAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // The dispatcher's own tick delivers the events a second later.
            LogWakeFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = 4312, Level = LogLevel.Debug, Message = "Waking the automation dispatcher failed; its next tick delivers the events")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception);
}
