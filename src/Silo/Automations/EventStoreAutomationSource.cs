using OrleansFlow.Grains.Events;
using OrleansFlow.Silo.Events;

namespace OrleansFlow.Silo.Automations;

/// <summary>The automation dispatcher's events: the silo's <see cref="EventStore"/>, in <c>seq</c> order.</summary>
internal sealed class EventStoreAutomationSource(EventStore store) : IAutomationEventSource
{
    public async Task<IReadOnlyList<(long Seq, Event Event)>> ReadAfterAsync(long seq, int limit, CancellationToken cancellationToken) =>
        [.. (await store.ReadAfterAsync(seq, limit, cancellationToken).ConfigureAwait(false)).Select(e => (e.Seq, e.Event))];

    public async Task<IReadOnlyList<(long Seq, Event Event)>> ReadSeqsAsync(IReadOnlyList<long> seqs, CancellationToken cancellationToken) =>
        [.. (await store.ReadSeqsAsync(seqs, cancellationToken).ConfigureAwait(false)).Select(e => (e.Seq, e.Event))];

    public Task<long> LastSeqAsync(CancellationToken cancellationToken) => store.LastSeqAsync(cancellationToken);
}
