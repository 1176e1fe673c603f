using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Queries.Changes;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Ui.Endpoints;

/// <summary>One change feed for every live stream of the run pages. While anyone watches, it looks once per
/// <see cref="UiRunEndpoints.PollInterval"/> for what changed, for all watched runs together: one statement for the
/// states of the watched flow runs, one for the task runs, one for the runs that got log lines (a key range of the
/// time-ordered log ids). A stream only wakes (and reads its own new lines) when its run changed; a thousand idle pages
/// cost three statements per tick, not two thousand.</summary>
/// <remarks>Log lines are found by id, which is taken when the batch arrives: a batch that waited in the write queue
/// longer than <see cref="LogSlack"/> could be stored behind the cursor. Every <see cref="FullWakeEvery"/> ticks all
/// streams wake anyway, so such a line shows up late, never not at all.</remarks>
internal sealed class RunChangeFeed(OrleansFlowSilo silo) : IDisposable
{
    /// <summary>How far back each tick looks for new log lines, before the previous tick began.</summary>
    public static readonly TimeSpan LogSlack = TimeSpan.FromSeconds(2);

    /// <summary>Every this many ticks every stream wakes, whatever the feed saw (10 s at the default interval).</summary>
    public const int FullWakeEvery = 20;

    private readonly RunChangeQueries _queries = new(silo);
    private readonly Lock _lock = new();
    private readonly Dictionary<(bool Task, Guid Id), List<Watch>> _watches = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    /// <summary>Ticks run so far (for tests and diagnostics).</summary>
    public long Ticks { get; private set; }

    /// <summary>Starts watching a flow run (or a task run) whose state is <paramref name="initial"/> now.</summary>
    public Watch Subscribe(bool taskRun, Guid id, (StateType Type, string? Name)? initial)
    {
        var watch = new Watch(this, (taskRun, id), initial);
        lock (_lock)
        {
            if (!_watches.TryGetValue(watch.Key, out var list))
            {
                _watches[watch.Key] = list = [];
            }

            list.Add(watch);
            if (_loop is null || _loop.IsCompleted)
            {
                _loop = Task.Run(() => RunAsync(_stopping.Token));
            }
        }

        return watch;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void Unsubscribe(Watch watch)
    {
        lock (_lock)
        {
            if (_watches.TryGetValue(watch.Key, out var list) && list.Remove(watch) && list.Count == 0)
            {
                _watches.Remove(watch.Key);
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var cursor = silo.Clock.GetUtcNow() - LogSlack;
        while (!cancellationToken.IsCancellationRequested)
        {
            List<(bool Task, Guid Id)> keys;
            lock (_lock)
            {
                if (_watches.Count == 0)
                {
                    // The next subscriber starts a new loop (Subscribe checks under the same lock).
                    _loop = null;
                    return;
                }

                keys = [.. _watches.Keys];
            }

            var tickStart = silo.Clock.GetUtcNow();
            try
            {
                await TickAsync(keys, cursor, cancellationToken).ConfigureAwait(false);
                cursor = tickStart - LogSlack;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The database is unreachable for a moment: the streams keep what they have and the next tick tries again.
            }

            try
            {
                await Task.Delay(UiRunEndpoints.PollInterval, silo.Clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task TickAsync(List<(bool Task, Guid Id)> keys, DateTimeOffset cursor, CancellationToken cancellationToken)
    {
        var flowStates = await _queries.FlowRunStatesAsync([.. keys.Where(k => !k.Task).Select(k => k.Id)], cancellationToken).ConfigureAwait(false);
        var taskStates = await _queries.TaskRunStatesAsync([.. keys.Where(k => k.Task).Select(k => k.Id)], cancellationToken).ConfigureAwait(false);
        var (flowLogs, taskLogs) = await _queries.RunsWithLogsSinceAsync(cursor, cancellationToken).ConfigureAwait(false);
        var wakeAll = ++Ticks % FullWakeEvery == 0;
        foreach (var key in keys)
        {
            List<Watch> watches;
            lock (_lock)
            {
                if (!_watches.TryGetValue(key, out var list))
                {
                    continue;
                }

                watches = [.. list];
            }

            var states = key.Task ? taskStates : flowStates;
            (StateType Type, string? Name)? state = states.TryGetValue(key.Id, out var s) && s.Type is { } type ? (type, s.Name) : null;
            var logged = (key.Task ? taskLogs : flowLogs).Contains(key.Id);
            foreach (var watch in watches)
            {
                watch.Observe(state, logged || wakeAll);
            }
        }
    }

    /// <summary>One stream's view of its run: the latest state the feed saw, and a signal when the run changed.</summary>
    internal sealed class Watch : IDisposable
    {
        private readonly RunChangeFeed _feed;
        private readonly Lock _lock = new();
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private (StateType Type, string? Name)? _state;

        public Watch(RunChangeFeed feed, (bool, Guid) key, (StateType Type, string? Name)? initial)
        {
            _feed = feed;
            Key = key;
            _state = initial;
        }

        public (bool Task, Guid Id) Key { get; }

        /// <summary>The run's state as last seen.</summary>
        public (StateType Type, string? Name)? State
        {
            get
            {
                lock (_lock)
                {
                    return _state;
                }
            }
        }

        /// <summary>Completes when the run's state changed or it got log lines since the last call.</summary>
        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            var changed = Volatile.Read(ref _changed);
            await changed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.CompareExchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), changed);
        }

        public void Dispose() => _feed.Unsubscribe(this);

        internal void Observe((StateType Type, string? Name)? state, bool logged)
        {
            var changed = logged;
            lock (_lock)
            {
                if (state is not null && !Equals(state, _state))
                {
                    _state = state;
                    changed = true;
                }
            }

            if (changed)
            {
                Volatile.Read(ref _changed).TrySetResult();
            }
        }
    }
}
