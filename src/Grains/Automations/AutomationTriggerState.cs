using System.Collections.Immutable;

namespace OrleansFlow.Grains.Automations;

/// <summary>The evaluation state of one automation's trigger: the open buckets of each event trigger (by bucket key,
/// see <see cref="TriggerRules.KeyText"/>), the pending child firings of each composite trigger, and the recently
/// applied event ids (so an event delivered twice counts once).</summary>
public sealed record AutomationTriggerState
{
    /// <summary>A state with nothing open.</summary>
    public static AutomationTriggerState Empty { get; } = new();

    /// <summary>Open buckets per event trigger id, per bucket key text.</summary>
    public ImmutableDictionary<Guid, ImmutableDictionary<string, TriggerBucket>> Buckets { get; init; } =
        ImmutableDictionary<Guid, ImmutableDictionary<string, TriggerBucket>>.Empty;

    /// <summary>Child firings per composite trigger id, oldest first.</summary>
    public ImmutableDictionary<Guid, ImmutableList<ChildFiring>> ChildFirings { get; init; } =
        ImmutableDictionary<Guid, ImmutableList<ChildFiring>>.Empty;

    /// <summary>The ids of the last <see cref="TriggerRules.MaxSeenEvents"/> events applied, oldest first.</summary>
    public ImmutableList<Guid> SeenEvents { get; init; } = [];
}
