using OrleansFlow.Grains.Automations;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.Automations;

/// <summary>One pass of delivering stored events to the automations whose triggers could match them: reads the events
/// after the persisted cursor, hands each enabled automation the ones its trigger covers (in order, one call per
/// automation), then moves the cursor past the batch. The cursor moves only after every delivery succeeded, so an event
/// is never skipped; an event delivered twice (a restart between delivery and cursor) is ignored by the grain, which
/// remembers the ids it applied. A dispatcher with no cursor yet starts at the newest event: automations react to what
/// happens from now on, not to history.</summary>
public sealed class AutomationDispatcher(OrleansFlowSilo silo, IAutomationEventSource source)
{
    /// <summary>The name of the dispatcher's row in <c>automation_cursors</c>.</summary>
    public const string CursorName = "automations";

    /// <summary>How many events one pass reads at most (default 500).</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Delivers the next batch of events.</summary>
    /// <returns>How many events the pass read (0: none new).</returns>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var cursor = await silo.Database.ReadAsync(session => AutomationStore.GetCursorAsync(session, CursorName, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        if (cursor is null)
        {
            var last = await source.LastSeqAsync(cancellationToken).ConfigureAwait(false);
            await SaveAsync(last, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        var batch = await source.ReadAfterAsync(cursor.Value, BatchSize, cancellationToken).ConfigureAwait(false);
        if (batch.Count == 0)
        {
            return 0;
        }

        var automations = await new AutomationCatalog(silo).EnabledAsync(cancellationToken).ConfigureAwait(false);
        var deliveries = automations
            .Select(a => (a.Id, Events: batch.Select(e => e.Event).Where(e => TriggerRules.CouldMatch(a.Trigger, e)).ToList()))
            .Where(d => d.Events.Count > 0)
            .Select(d => silo.Grains.GetGrain<IAutomationGrain>(d.Id).ReceiveAsync(d.Events));
        await Task.WhenAll(deliveries).ConfigureAwait(false);
        await SaveAsync(batch[^1].Seq, cancellationToken).ConfigureAwait(false);
        return batch.Count;
    }

    /// <summary>The persisted cursor, or null before the first pass.</summary>
    public Task<long?> CursorAsync(CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => AutomationStore.GetCursorAsync(session, CursorName, cancellationToken), cancellationToken);

    private Task SaveAsync(long seq, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(async session =>
        {
            await AutomationStore.SetCursorAsync(session, CursorName, seq, silo.Clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
}
