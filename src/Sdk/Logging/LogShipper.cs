using System.Collections.Concurrent;
using OrleansFlow.Client;

namespace OrleansFlow.Logging;

/// <summary>Collects run log lines and sends them to <c>POST /api/logs/</c> in batches: every second in the background,
/// and on demand when a run ends (<see cref="FlushAsync"/>). A failed send is reported on stderr, never to the flow.</summary>
internal sealed class LogShipper : IDisposable
{
    private const int BatchSize = 200;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly OrleansFlowClient _client;
    private readonly ConcurrentQueue<LogCreate> _queue = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _startLock = new();
    private Task? _loop;

    public LogShipper(OrleansFlowClient client) => _client = client;

    /// <summary>Queues a line; the background loop starts with the first one.</summary>
    public void Enqueue(LogCreate entry)
    {
        _queue.Enqueue(entry);
        if (_loop is null)
        {
            lock (_startLock)
            {
                // The loop must not keep the first run's ambient context (its logger, its Console capture) alive.
                using (ExecutionContext.SuppressFlow())
                {
                    _loop ??= Task.Run(LoopAsync);
                }
            }
        }
    }

    /// <summary>Sends every queued line.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (!_queue.IsEmpty)
            {
                var batch = new List<LogCreate>(BatchSize);
                while (batch.Count < BatchSize && _queue.TryDequeue(out var entry))
                {
                    batch.Add(entry);
                }

                try
                {
                    await _client.CreateLogsAsync(batch, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException or OrleansFlowApiException or TaskCanceledException)
                {
                    await Console.Error.WriteLineAsync($"OrleansFlow: {batch.Count} log lines could not be sent: {e.Message}").ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _sending.Release();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                await FlushAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the owner flushes what is left.
        }
    }
}
