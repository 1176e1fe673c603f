namespace OrleansFlow.Worker;

/// <summary>Owns the loops of an <see cref="IWorker"/>: heartbeats every <see cref="WorkerOptions.HeartbeatInterval"/>,
/// long polls for runs while there is a free slot (at once again when a watch frees one), and watches the started runs every
/// <see cref="WorkerOptions.WatchInterval"/> and at once when one of their processes exits. A failed tick is logged and retried at the next one. Cancelling the token
/// stops the loops and leaves the started processes running.</summary>
public sealed class WorkerHost
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly WorkerOptions _options;
    private readonly IWorker _worker;
    private readonly TextWriter _log;
    private TaskCompletionSource _watched = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="options">The worker's settings.</param>
    /// <param name="worker">The ticks to loop.</param>
    /// <param name="log">Where failures are written; default <see cref="TextWriter.Null"/>.</param>
    public WorkerHost(WorkerOptions options, IWorker worker, TextWriter? log = null)
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
                var watched = Volatile.Read(ref _watched).Task;
                if (_worker.FreeSlots is 0)
                {
                    // A slot frees when the watch forgets an ended run: wait for the next watch.
                    await WaitAsync(watched, _options.WatchInterval, ct).ConfigureAwait(false);
                    return TimeSpan.Zero;
                }

                await _worker.PollOnceAsync(_options.PollWait, ct).ConfigureAwait(false);
                return TimeSpan.Zero;
            }, cancellationToken),
            LoopAsync("watch", async ct =>
            {
                var exited = _worker.InfrastructureExited;
                await _worker.WatchOnceAsync(ct).ConfigureAwait(false);
                Interlocked.Exchange(ref _watched, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                // The next watch at the interval (cancellations), or at once when a process exits.
                await WaitAsync(exited, _options.WatchInterval, ct).ConfigureAwait(false);
                return TimeSpan.Zero;
            }, cancellationToken))
            .ConfigureAwait(false);
    }

    private static async Task WaitAsync(Task signal, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await signal.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The interval passed without a signal.
        }
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
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException
                or OrleansFlow.Client.OrleansFlowApiException)
            {
                // An error answer too (a pool deleted and made again, a key revoked and replaced, a server restarting): the
                // loop goes on, so the worker takes runs again once the cause is gone instead of idling until it is restarted.
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
