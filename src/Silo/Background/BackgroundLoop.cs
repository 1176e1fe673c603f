using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansFlow.Silo.Background;

/// <summary>Hosts background processes: each runs its tick every <see cref="IBackgroundProcess.Interval"/>; a failing
/// tick is logged and the loop goes on; stopping the host ends the loops.</summary>
/// <param name="processes">The processes to run.</param>
/// <param name="logger">Where failures go.</param>
public sealed partial class BackgroundLoop(IReadOnlyList<IBackgroundProcess> processes, ILogger<BackgroundLoop> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(processes.Select(p => LoopAsync(p, stoppingToken)));

    private async Task LoopAsync(IBackgroundProcess process, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(process.Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await process.RunOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogTickFailed(logger, ex, process.Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "Background process {Process} failed a tick")]
    private static partial void LogTickFailed(ILogger logger, Exception exception, string process);
}
