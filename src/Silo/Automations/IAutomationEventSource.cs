using OrleansFlow.Grains.Events;

namespace OrleansFlow.Silo.Automations;

/// <summary>The stored events, in the order they were stored: what the automation dispatcher reads (on a silo: the
/// event store, see <c>EventStoreAutomationSource</c>).</summary>
public interface IAutomationEventSource
{
    /// <summary>Up to <paramref name="limit"/> events stored after <paramref name="seq"/>, by ascending sequence number.</summary>
    Task<IReadOnlyList<(long Seq, Event Event)>> ReadAfterAsync(long seq, int limit, CancellationToken cancellationToken);

    /// <summary>The stored events among <paramref name="seqs"/> (at most 100), by ascending sequence number: those of a
    /// gap that filled since it was seen.</summary>
    Task<IReadOnlyList<(long Seq, Event Event)>> ReadSeqsAsync(IReadOnlyList<long> seqs, CancellationToken cancellationToken);

    /// <summary>The sequence number of the last stored event (0 when there is none).</summary>
    Task<long> LastSeqAsync(CancellationToken cancellationToken);
}
