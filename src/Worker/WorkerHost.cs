namespace OrleansFlow.Worker;

/// <summary>Owns the loops of a <see cref="ProcessWorker"/>: heartbeats every <see cref="WorkerOptions.HeartbeatInterval"/>,
/// long polls for runs while there is a free slot, and watches the started runs every
/// <see cref="WorkerOptions.WatchInterval"/>. A failed tick is logged and retried at the next one. Cancelling the token
/// stops the loops and leaves the started processes running.</summary>
public sealed class WorkerHost
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly WorkerOptions _options;
    private readonly ProcessWorker _worker;
    private readonly TextWriter _log;

    /// <param name="options">The worker's settings.</param>
    /// <param name="worker">The ticks to loop.</param>
    /// <param name="log">Where failures are written; default <see cref="TextWriter.Null"/>.</param>
    public WorkerHost(WorkerOptions options, ProcessWorker worker, TextWriter? log = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _worker = worker ?? throw new ArgumentNullException(nameof(worker));
        _log = log ?? TextWriter.Null;
    }

    /// <summary>Runs the loops until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            LoopAsync("heartbeat", async ct => { await _worker.HeartbeatOnceAsync(ct).ConfigureAwait(false); return _options.HeartbeatInterval; }, cancellationToken),
            LoopAsync("poll", async ct =>
            {
                if (_worker.FreeSlots is 0)
                {
                    return _options.WatchInterval;
                }

                await _worker.PollOnceAsync(_options.PollWait, ct).ConfigureAwait(false);
                return TimeSpan.Zero;
            }, cancellationToken),
            LoopAsync("watch", async ct => { await _worker.WatchOnceAsync(ct).ConfigureAwait(false); return _options.WatchInterval; }, cancellationToken))
            .ConfigureAwait(false);
    }

    private async Task LoopAsync(string name, Func<CancellationToken, Task<TimeSpan>> tick, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                delay = await tick(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException)
            {
                await _log.WriteLineAsync($"worker {name}: {ex.Message}").ConfigureAwait(false);
                delay = RetryDelay;
            }

            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
