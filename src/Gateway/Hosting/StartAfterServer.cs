using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansFlow.Gateway.Hosting;

/// <summary>Starts a hosted service once the server answers requests (<see cref="IHostApplicationLifetime.ApplicationStarted"/>)
/// instead of before the server listens: work nobody waits for at start-up (the Orleans Dashboard's activation, the
/// housekeeper's reminder) no longer delays the first answer. A failure to start is
/// logged, not thrown: the server is already serving.</summary>
internal sealed partial class StartAfterServer(IHostedService inner, string name, IHostApplicationLifetime lifetime, ILogger<StartAfterServer> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _started = Task.CompletedTask;

    /// <summary>Wraps <paramref name="inner"/> with the application's lifetime and logger from <paramref name="services"/>.</summary>
    internal static StartAfterServer Wrap(IServiceProvider services, IHostedService inner, string name) =>
        new(inner, name, services.GetRequiredService<IHostApplicationLifetime>(), services.GetRequiredService<ILogger<StartAfterServer>>());

    /// <summary>The wrapped service's start, or a completed task before the server has started.</summary>
    internal Task Started => _started;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _started = Task.Run(StartInnerAsync));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _started.WaitAsync(cancellationToken).ConfigureAwait(false);
        await inner.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task StartInnerAsync()
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await inner.StartAsync(_stopping.Token).ConfigureAwait(false);
            LogStarted(logger, name, watch.ElapsedMilliseconds);
        }
        catch (Exception ex)
        {
            if (!_stopping.IsCancellationRequested)
            {
                LogStartFailed(logger, ex, name);
            }
        }
    }

    [LoggerMessage(EventId = 4401, Level = LogLevel.Debug, Message = "{Service} started after the server, in {ElapsedMs} ms")]
    private static partial void LogStarted(ILogger logger, string service, long elapsedMs);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Error, Message = "{Service} failed to start after the server")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string service);
}
