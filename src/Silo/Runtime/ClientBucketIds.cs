namespace OrleansFlow.Silo.Runtime;

/// <summary>Task-run ids for a process that reaches the silos as an Orleans client (the gateway tier): an id whose task-run
/// grain the client sends through the same silo as the task run's flow-run grain. The client puts every grain call into
/// one of <c>ClientMessagingOptions.ClientSenderBuckets</c> buckets by the target's <see cref="GrainId"/> hash (modulo the
/// bucket count) and each bucket into one silo's gateway connection; run grains are placed on the silo their first call
/// arrives at (<c>PreferLocalPlacement</c>), so a task run whose grain id falls into its flow run's bucket is activated
/// on its flow run's silo, and its calls to the flow run (the flow run's state, read on every create and proposal) stay
/// in that silo. The id stays a UUIDv7 of <see cref="IdGenerator"/>: only its random bits (the last 62) are drawn again
/// until the bucket matches, at most <see cref="MaxDraws"/> times (about 64 draws with the 64 buckets
/// <see cref="ClientBuilderExtensions"/> configures); past that the first id is taken, which costs locality, not
/// correctness.</summary>
internal sealed class ClientBucketIds(GrainType flowRun, GrainType taskRun, int buckets)
{
    /// <summary>The most ids drawn for one task run before it takes the first one.</summary>
    internal const int MaxDraws = 4096;

    /// <summary>The client's bucket count.</summary>
    public int Buckets { get; } = Math.Max(1, buckets);

    /// <summary>A task-run id in the bucket of flow run <paramref name="flowRunId"/>, made from <paramref name="first"/>
    /// (an id of <see cref="IdGenerator"/>) by drawing its random bits again.</summary>
    public Guid For(Guid flowRunId, Guid first)
    {
        if (Buckets == 1)
        {
            return first;
        }

        var target = BucketOf(flowRun, flowRunId);
        Span<byte> bytes = stackalloc byte[16];
        first.TryWriteBytes(bytes, bigEndian: true, out _);
        for (var draw = 0; draw < MaxDraws; draw++)
        {
            var candidate = new Guid(bytes, bigEndian: true);
            if (BucketOf(taskRun, candidate) == target)
            {
                return candidate;
            }

            // Bytes 0-7 (timestamp, version, counter) keep the id's order; the variant's two bits stay 10.
            Random.Shared.NextBytes(bytes[8..]);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        }

        return first;
    }

    /// <summary>The client bucket of the grain of type <paramref name="type"/> and key <paramref name="id"/>.</summary>
    public int BucketOf(GrainType type, Guid id) => Bucket(GrainId.Create(type, GrainIdKeyExtensions.CreateGuidKey(id)).GetHashCode());

    private int Bucket(int hash) => ((hash % Buckets) + Buckets) % Buckets;
}
