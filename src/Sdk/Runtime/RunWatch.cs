using System.Globalization;
using Microsoft.Extensions.Logging;
using OrleansFlow.Client;

namespace OrleansFlow.Runtime;

/// <summary>Watches a RUNNING flow run from the process that runs it: sends the run's heartbeats (so the server (the run's grain)
/// marks it CRASHED if this process dies) and cancels the run's <see cref="FlowRunContext.CancellationToken"/> when the
/// run is cancelled on the server (it is then CANCELLING). The first heartbeat is sent at once; then one every
/// <c>ORLEANSFLOW_HEARTBEAT_SECONDS</c> (default 30), and the state is checked every few seconds.</summary>
internal sealed partial class RunWatch : IAsyncDisposable
{
    /// <summary>The environment variable setting the heartbeat interval in seconds.</summary>
    public const string HeartbeatVariable = "ORLEANSFLOW_HEARTBEAT_SECONDS";

    private static readonly TimeSpan MaxCheckInterval = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private RunWatch(ServerSession client, Guid flowRunId, CancellationTokenSource cancellation, ILogger logger)
    {
        _loop = WatchAsync(client, flowRunId, cancellation, logger, _stop.Token);
    }

    /// <summary>The interval between two heartbeats.</summary>
    public static TimeSpan HeartbeatInterval =>
        double.TryParse(Environment.GetEnvironmentVariable(HeartbeatVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
        && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(30);

    /// <summary>Starts watching <paramref name="flowRunId"/> until the returned watch is disposed.</summary>
    public static RunWatch Start(ServerSession client, Guid flowRunId, CancellationTokenSource cancellation, ILogger logger) =>
        new(client, flowRunId, cancellation, logger);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped while a call was in flight.
        }

        _stop.Dispose();
    }

    private static async Task WatchAsync(ServerSession client, Guid flowRunId, CancellationTokenSource cancellation, ILogger logger,
        CancellationToken stop)
    {
        await Task.Yield();
        var heartbeat = HeartbeatInterval;
        var check = heartbeat < MaxCheckInterval ? heartbeat : MaxCheckInterval;
        var lastBeat = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(check);
        do
        {
            try
            {
                if (DateTimeOffset.UtcNow - lastBeat >= heartbeat - TimeSpan.FromMilliseconds(50))
                {
                    await client.Api.HeartbeatFlowRunAsync(flowRunId, stop).ConfigureAwait(false);
                    lastBeat = DateTimeOffset.UtcNow;
                }

                if (!cancellation.IsCancellationRequested
                    && (await client.Api.ReadFlowRunAsync(flowRunId, stop).ConfigureAwait(false)).StateType is StateType.Cancelling or StateType.Cancelled)
                {
                    Cancelled(logger);
                    await cancellation.CancelAsync().ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is HttpRequestException or OrleansFlowApiException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                // The server is unreachable for a moment: the next tick tries again (the server allows several misses).
                Unreachable(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "The flow run was cancelled on the server; cancelling its token")]
    private static partial void Cancelled(ILogger logger);

    [LoggerMessage(EventId = 21, Level = LogLevel.Debug, Message = "Heartbeat not sent: {Reason}")]
    private static partial void Unreachable(ILogger logger, string reason);
}
