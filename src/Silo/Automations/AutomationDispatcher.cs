using OrleansFlow.Grains.Automations;
using OrleansFlow.Grains.Events;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Automations;

/// <summary>Delivers stored events to the automations whose triggers could match them and to the flow run notification
/// policies: each pass reads the events after the last one it delivered, hands each enabled automation the ones its
/// trigger covers (one call per automation), queues the notifications the active policies owe for the flow run state
/// changes among them (<see cref="FlowRunNotifications.FlowRunNotificationQueue"/>), then saves its cursor. A dispatcher
/// with no cursor yet starts at the newest event: automations and policies react to what happens from now on, not to
/// history. While no automation is enabled and no policy active a pass reads no event: it moves the cursor to the newest.
/// <para>No event is skipped. On PostgreSQL a transaction that took a lower <c>seq</c> can commit after one that took a
/// higher one (several write lanes, several silos), so a pass may see seq 12 before seq 11 exists. The dispatcher
/// delivers 12 at once and remembers 11 as a gap: each later pass looks the gap up again, and delivers its event when it
/// has committed. A gap is given up after <see cref="GapTimeout"/> (its transaction rolled back: the seq never fills).
/// The saved cursor stays below the oldest open gap, so a dispatcher that restarts delivers again what lies above it;
/// the grains ignore an event id they applied before. On SQLite rows commit in seq order, so there are no gaps to wait
/// for.</para>
/// <para>One instance is kept by the dispatcher grain between passes (the gaps are held in memory); a pass reads the
/// saved cursor first, so an instance also moves past what another one delivered.</para></summary>
public sealed class AutomationDispatcher : IAutomationEventDispatcher
{
    /// <summary>The name of the dispatcher's row in <c>automation_cursors</c>.</summary>
    public const string CursorName = "automations";

    /// <summary>How many gaps are remembered at most; a jump over more missing seqs than that (a large batch rolled
    /// back) is not waited for.</summary>
    public const int MaxGaps = 10_000;

    private readonly OrleansFlowSilo _silo;
    private readonly IAutomationEventSource _source;
    private readonly SortedDictionary<long, DateTimeOffset> _gaps = [];
    private long? _delivered;
    private long? _saved;

    /// <summary>Creates a dispatcher over <paramref name="source"/>.</summary>
    public AutomationDispatcher(OrleansFlowSilo silo, IAutomationEventSource source)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(source);
        _silo = silo;
        _source = source;
        GapTimeout = silo.Database.Dialect == SqlDialect.Postgres ? TimeSpan.FromSeconds(10) : TimeSpan.Zero;
    }

    /// <summary>How many events one pass reads at most (default 500).</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>How long a missing seq below a delivered one is looked for before it is given up: 10 s on PostgreSQL
    /// (a transaction never takes that long between taking its seq and committing), zero on SQLite.</summary>
    public TimeSpan GapTimeout { get; init; }

    /// <summary>The sequence numbers this instance is still looking for, lowest first.</summary>
    public IReadOnlyCollection<long> OpenGaps => _gaps.Keys;

    /// <summary>Delivers the next batch of events, and those of gaps that filled.</summary>
    /// <returns>How many events the pass read (0: none new).</returns>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var cursor = await CursorAsync(cancellationToken).ConfigureAwait(false);
        if (cursor is null)
        {
            var start = await _source.LastSeqAsync(cancellationToken).ConfigureAwait(false);
            await SaveAsync(start, cancellationToken).ConfigureAwait(false);
            (_delivered, _saved) = (start, start);
            return 0;
        }

        if (_delivered is null || cursor.Value > _saved)
        {
            // First pass, or another instance (a second activation during a membership change) moved the cursor on.
            _delivered = Math.Max(_delivered ?? 0, cursor.Value);
            _saved = cursor.Value;
            foreach (var passed in _gaps.Keys.Where(seq => seq <= cursor.Value).ToList())
            {
                _gaps.Remove(passed);
            }
        }

        // The newest seq before the automations: with none enabled there is nothing to read, and an automation enabled
        // after that read only sees events stored after it.
        var newest = await _source.LastSeqAsync(cancellationToken).ConfigureAwait(false);
        var automations = await new AutomationCatalog(_silo).EnabledAsync(cancellationToken).ConfigureAwait(false);
        var notifications = new FlowRunNotifications.FlowRunNotificationQueue(_silo);
        var policies = await notifications.ActivePoliciesAsync(cancellationToken).ConfigureAwait(false);
        if (automations.Count == 0 && policies.Count == 0)
        {
            _gaps.Clear();
            _delivered = Math.Max(_delivered!.Value, newest);
            await MoveCursorAsync(_delivered.Value, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        var filled = _gaps.Count == 0
            ? []
            : await _source.ReadSeqsAsync([.. _gaps.Keys.Take(Events.EventStore.MaxSeqsPerRead)], cancellationToken).ConfigureAwait(false);
        var fresh = await _source.ReadAfterAsync(_delivered!.Value, BatchSize, cancellationToken).ConfigureAwait(false);
        var batch = filled.Concat(fresh).ToList();
        if (batch.Count > 0)
        {
            var events = batch.Select(e => e.Event).ToList();
            await DeliverAsync(automations, events, cancellationToken).ConfigureAwait(false);
            await notifications.EnqueueAsync(policies, events, cancellationToken).ConfigureAwait(false);
        }

        // Delivered: now the gaps can be updated and the cursor moved.
        var now = _silo.Clock.GetUtcNow();
        foreach (var (seq, _) in filled)
        {
            _gaps.Remove(seq);
        }

        foreach (var (seq, _) in fresh)
        {
            var missing = seq - _delivered.Value - 1;
            if (GapTimeout > TimeSpan.Zero && missing is > 0 and <= MaxGaps)
            {
                for (var gap = _delivered.Value + 1; gap < seq && _gaps.Count < MaxGaps; gap++)
                {
                    _gaps[gap] = now;
                }
            }

            _delivered = seq;
        }

        foreach (var expired in _gaps.Where(g => now - g.Value >= GapTimeout).Select(g => g.Key).ToList())
        {
            _gaps.Remove(expired);
        }

        await MoveCursorAsync(_gaps.Count > 0 ? _gaps.Keys.First() - 1 : _delivered.Value, cancellationToken).ConfigureAwait(false);
        return batch.Count;
    }

    /// <summary>The persisted cursor, or null before the first pass.</summary>
    public Task<long?> CursorAsync(CancellationToken cancellationToken) =>
        _silo.Database.ReadAsync(session => AutomationStore.GetCursorAsync(session, CursorName, cancellationToken), cancellationToken);

    private async Task MoveCursorAsync(long frontier, CancellationToken cancellationToken)
    {
        if (frontier != _saved)
        {
            await SaveAsync(frontier, cancellationToken).ConfigureAwait(false);
            _saved = frontier;
        }
    }

    private async Task DeliverAsync(IReadOnlyList<Automation> automations, IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        var deliveries = automations
            .Select(a => (a.Id, Events: events.Where(e => TriggerRules.CouldMatch(a.Trigger, e)).ToList()))
            .Where(d => d.Events.Count > 0)
            .Select(d => _silo.Grains.GetGrain<IAutomationGrain>(d.Id).ReceiveAsync(d.Events));
        await Task.WhenAll(deliveries).ConfigureAwait(false);
    }

    private Task SaveAsync(long seq, CancellationToken cancellationToken) =>
        _silo.Database.WriteAsync(async session =>
        {
            await AutomationStore.SetCursorAsync(session, CursorName, seq, _silo.Clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
}
