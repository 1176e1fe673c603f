using Microsoft.Extensions.Logging;
using OrleansFlow.Grains.Hosting;

namespace OrleansFlow.Grains.Notifications;

/// <summary>The flow run notification sender (see <see cref="IFlowRunNotificationGrain"/>): single activation, so a
/// queued notification is sent by one silo at a time, and every 5 s (Prefect's notification service: every 4 s); calls
/// are not interleaved, so a wake-up during a drain waits for it and then finds nothing left.</summary>
internal sealed partial class FlowRunNotificationGrain(IGrainServices services, IFlowRunNotificationOutbox outbox,
    ILogger<FlowRunNotificationGrain> logger)
    : DrainLoopGrain(services, "flow-run-notifications", TimeSpan.FromSeconds(5)), IFlowRunNotificationGrain
{
    protected override int BatchSize => outbox.BatchSize;

    public Task WakeAsync() => DrainNowAsync();

    protected override Task<int> DrainBatchAsync() => outbox.SendNextAsync(CancellationToken.None);

    // What was not marked sent stays queued: the next tick sends it.
    protected override void OnDrainFailed(Exception exception) => Log.DrainFailed(logger, exception);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4320, Level = LogLevel.Error, Message = "Sending flow run notifications failed; the next tick tries again")]
        public static partial void DrainFailed(ILogger logger, Exception exception);
    }
}
