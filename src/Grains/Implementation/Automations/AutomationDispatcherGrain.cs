using Microsoft.Extensions.Logging;
using OrleansFlow.Grains.Hosting;

namespace OrleansFlow.Grains.Automations;

/// <summary>The cluster's automation dispatcher (see <see cref="IAutomationDispatcherGrain"/>): single activation, so one
/// silo reads the events at a time, every second; it does nothing on a silo that has no event source
/// (<see cref="IAutomationEventDispatcherFactory.Create"/>).</summary>
internal sealed partial class AutomationDispatcherGrain(IGrainServices services, IAutomationEventDispatcherFactory dispatchers,
    ILogger<AutomationDispatcherGrain> logger)
    : DrainLoopGrain(services, "automation-dispatch", TimeSpan.FromSeconds(1)), IAutomationDispatcherGrain
{
    // Kept between passes: it remembers the gaps it is still looking for.
    private IAutomationEventDispatcher? _dispatcher;

    protected override int BatchSize => Dispatcher?.BatchSize ?? int.MaxValue;

    private IAutomationEventDispatcher? Dispatcher => _dispatcher ??= dispatchers.Create();

    protected override Task<int> DrainBatchAsync() =>
        Dispatcher is { } dispatcher ? dispatcher.RunOnceAsync(CancellationToken.None) : Task.FromResult(0);

    // The cursor did not move: the next tick delivers the same events again (the grains ignore those applied).
    protected override void OnDrainFailed(Exception exception) => Log.DispatchFailed(logger, exception);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4311, Level = LogLevel.Error, Message = "Delivering events to automations failed; the next tick tries again")]
        public static partial void DispatchFailed(ILogger logger, Exception exception);
    }
}
