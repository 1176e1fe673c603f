using System.Collections.Immutable;
using System.Text.Json;
using OrleansFlow.Grains.Events;

namespace OrleansFlow.Grains.Automations;

/// <summary>The evaluation of an automation's trigger, as Prefect 3's triggers service does it: pure, no I/O, no clock
/// (the time comes in as an argument). A reactive event trigger fires as soon as <c>threshold</c> expected events arrived
/// within <c>within</c> of its bucket's start, then ignores the rest of that window; a proactive one fires when its
/// window (opened by an <c>after</c> event, or by the first expected event, or — with neither <c>after</c> nor
/// <c>for_each</c> — by the clock) ended with fewer than <c>threshold</c> expected events. A bucket that fired is removed;
/// a trigger with <c>after</c> opens a new one only on the next <c>after</c> event, so an after-gated proactive trigger
/// fires once per <c>after</c> event, never repeatedly. Windows are measured in the events' <c>occurred</c> times.</summary>
public static class TriggerRules
{
    /// <summary>How many counted event ids a bucket keeps (for the firing's history).</summary>
    public const int MaxEventIds = 50;

    /// <summary>How many applied event ids the state remembers to ignore a second delivery.</summary>
    public const int MaxSeenEvents = 1000;

    /// <summary>How long a closed bucket is kept before <see cref="Tick"/> sweeps it (Prefect's expired-bucket buffer).</summary>
    public static readonly TimeSpan ExpiredBucketBuffer = TimeSpan.FromSeconds(60);

    /// <summary>The text of a bucket key: "" without <c>for_each</c>, else the JSON array of its values.</summary>
    public static string KeyText(ImmutableArray<string> key) =>
        key.IsDefaultOrEmpty ? "" : JsonSerializer.Serialize(key.ToArray());

    /// <summary>Whether <paramref name="event"/> could matter to <paramref name="trigger"/> (one of its event triggers
    /// covers it): what a dispatcher asks before delivering.</summary>
    public static bool CouldMatch(AutomationTrigger trigger, Event @event)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return trigger.EventTriggers().Any(t => t.Covers(@event));
    }

    /// <summary>Applies <paramref name="event"/> to the trigger's state. An event already applied (by id) changes nothing.</summary>
    /// <param name="trigger">The automation's trigger.</param>
    /// <param name="state">The current state.</param>
    /// <param name="event">The event.</param>
    /// <param name="now">The time of evaluation (the firings' <c>Triggered</c>).</param>
    public static TriggerEvaluation Evaluate(AutomationTrigger trigger, AutomationTriggerState state, Event @event, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(@event);
        if (state.SeenEvents.Contains(@event.Id))
        {
            return new TriggerEvaluation(state, []);
        }

        var work = new Work(trigger, state, now);
        var covered = false;
        foreach (var leaf in trigger.EventTriggers().Where(t => t.Covers(@event)))
        {
            covered = true;
            work.React(leaf, @event);
        }

        if (!covered)
        {
            return new TriggerEvaluation(state, []);
        }

        var seen = state.SeenEvents.Add(@event.Id);
        return work.Result(seen.Count > MaxSeenEvents ? seen.RemoveRange(0, seen.Count - MaxSeenEvents) : seen, seenChanged: true);
    }

    /// <summary>Evaluates the trigger at <paramref name="now"/> without an event: proactive windows whose deadline
    /// passed fire (or close), and closed buckets and stale child firings are swept.</summary>
    public static TriggerEvaluation Tick(AutomationTrigger trigger, AutomationTriggerState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(state);
        var work = new Work(trigger, state, now);
        foreach (var leaf in trigger.EventTriggers())
        {
            work.Tick(leaf);
        }

        foreach (var composite in trigger.All().OfType<CompositeTrigger>())
        {
            if (composite.Within is { } within)
            {
                work.ClearChildFirings(composite, now - within);
            }
        }

        return work.Result(state.SeenEvents, seenChanged: false);
    }

    /// <summary>The earliest deadline of an open proactive window (when <see cref="Tick"/> should run next), or null.</summary>
    public static DateTimeOffset? NextDeadline(AutomationTrigger trigger, AutomationTriggerState state)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(state);
        DateTimeOffset? next = null;
        foreach (var leaf in trigger.EventTriggers().Where(t => t.Posture == Posture.Proactive))
        {
            if (leaf.After.IsDefaultOrEmpty && leaf.ForEach.IsDefaultOrEmpty
                && (!state.Buckets.TryGetValue(leaf.Id, out var own) || own.IsEmpty))
            {
                // Opened by the clock: the next tick opens it.
                return DateTimeOffset.MinValue;
            }

            if (state.Buckets.TryGetValue(leaf.Id, out var buckets))
            {
                foreach (var bucket in buckets.Values)
                {
                    next = next is null || bucket.End < next ? bucket.End : next;
                }
            }
        }

        return next;
    }

    /// <summary>A firing on its way up the trigger tree.</summary>
    private sealed record Pending(ImmutableSortedDictionary<string, string> Labels, string Key, Event? Event, ImmutableArray<Guid> EventIds);

    /// <summary>A mutable copy of the state for one evaluation.</summary>
    private sealed class Work
    {
        private readonly AutomationTrigger _top;
        private readonly DateTimeOffset _now;
        private readonly Dictionary<Guid, CompositeTrigger> _parents = [];
        private readonly Dictionary<Guid, Dictionary<string, TriggerBucket>> _buckets;
        private readonly Dictionary<Guid, List<ChildFiring>> _children;
        private readonly List<TriggerFiring> _firings = [];
        private bool _changed;

        public Work(AutomationTrigger top, AutomationTriggerState state, DateTimeOffset now)
        {
            _top = top;
            _now = now;
            foreach (var composite in top.All().OfType<CompositeTrigger>())
            {
                foreach (var child in composite.Triggers)
                {
                    _parents[child.Id] = composite;
                }
            }

            // State of triggers the automation no longer has (it was replaced) is dropped.
            var ids = top.All().Select(t => t.Id).ToHashSet();
            _buckets = state.Buckets.Where(p => ids.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value.ToDictionary(b => b.Key, b => b.Value));
            _children = state.ChildFirings.Where(p => ids.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value.ToList());
            _changed = _buckets.Count != state.Buckets.Count || _children.Count != state.ChildFirings.Count;
        }

        public TriggerEvaluation Result(ImmutableList<Guid> seen, bool seenChanged) => new(
            new AutomationTriggerState
            {
                Buckets = _buckets.Where(p => p.Value.Count > 0).ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutableDictionary(StringComparer.Ordinal)),
                ChildFirings = _children.Where(p => p.Value.Count > 0).ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutableList()),
                SeenEvents = seen,
            },
            _firings)
        { Changed = _changed || _firings.Count > 0 || seenChanged };

        public void React(EventTrigger trigger, Event @event)
        {
            var key = trigger.BucketingKey(@event);
            TriggerBucket? bucket = null;
            if (!trigger.After.IsDefaultOrEmpty && trigger.StartsAfter(@event.Name))
            {
                // An event both after and expected opens the next window and is counted in the open one: starting at -1
                // leaves a new bucket at 0 once it is counted.
                bucket = Ensure(trigger, key, @event.Occurred, @event, trigger.Expects(@event.Name) ? -1 : 0);
            }

            if (bucket is null && trigger.After.IsDefaultOrEmpty && trigger.Expects(@event.Name))
            {
                bucket = Ensure(trigger, key, @event.Occurred, @event, 0);
            }

            if (!trigger.Expects(@event.Name))
            {
                return;
            }

            bucket ??= Read(trigger, KeyText(key));
            if (bucket is not null)
            {
                EvaluateBucket(trigger, bucket, @event.Occurred, @event);
            }
        }

        public void Tick(EventTrigger trigger)
        {
            if (trigger.Posture == Posture.Proactive)
            {
                if (trigger.After.IsDefaultOrEmpty && trigger.ForEach.IsDefaultOrEmpty)
                {
                    Ensure(trigger, [], _now, null, 0);
                }

                foreach (var bucket in Buckets(trigger).Values.ToList())
                {
                    EvaluateBucket(trigger, bucket, _now, null);
                }

                return;
            }

            var buckets = Buckets(trigger);
            foreach (var closed in buckets.Where(b => b.Value.End <= _now - ExpiredBucketBuffer).Select(b => b.Key).ToList())
            {
                buckets.Remove(closed);
                _changed = true;
            }
        }

        public void ClearChildFirings(CompositeTrigger composite, DateTimeOffset before)
        {
            if (_children.TryGetValue(composite.Id, out var list) && list.RemoveAll(f => f.Triggered < before) > 0)
            {
                _changed = true;
            }
        }

        private Dictionary<string, TriggerBucket> Buckets(EventTrigger trigger)
        {
            if (!_buckets.TryGetValue(trigger.Id, out var buckets))
            {
                _buckets[trigger.Id] = buckets = new Dictionary<string, TriggerBucket>(StringComparer.Ordinal);
            }

            return buckets;
        }

        private TriggerBucket? Read(EventTrigger trigger, string key) => Buckets(trigger).GetValueOrDefault(key);

        private TriggerBucket Put(EventTrigger trigger, TriggerBucket bucket)
        {
            Buckets(trigger)[KeyText(bucket.Key)] = bucket;
            _changed = true;
            return bucket;
        }

        private void Remove(EventTrigger trigger, TriggerBucket bucket) => _changed |= Buckets(trigger).Remove(KeyText(bucket.Key));

        /// <summary>The open bucket of the key (its last event updated), or a new one from <paramref name="start"/>.</summary>
        private TriggerBucket Ensure(EventTrigger trigger, ImmutableArray<string> key, DateTimeOffset start, Event? lastEvent, int initialCount)
        {
            if (Read(trigger, KeyText(key)) is { } existing)
            {
                return lastEvent is null ? existing : Put(trigger, existing with { LastEvent = lastEvent });
            }

            return Put(trigger, new TriggerBucket { Key = key, Start = start, End = start + trigger.Within, Count = initialCount, LastEvent = lastEvent });
        }

        private void EvaluateBucket(EventTrigger trigger, TriggerBucket bucket, DateTimeOffset at, Event? @event)
        {
            var count = @event is null ? 0 : 1;
            if (at < bucket.Start)
            {
                // Late, or within the rest of a window that already fired.
                return;
            }

            if (count > 0 && (trigger.Immediate || (bucket.Start <= at && at < bucket.End)))
            {
                bucket = Put(trigger, bucket with
                {
                    Count = bucket.Count + 1,
                    LastEvent = @event,
                    EventIds = [.. bucket.EventIds.TakeLast(MaxEventIds - 1), @event!.Id],
                });
                count = 0;
            }

            // Reactive triggers fire as soon as the threshold is met; proactive ones only once the window is over.
            var ready = trigger.Posture == Posture.Reactive || bucket.End <= at;
            var meets = trigger.Posture == Posture.Reactive ? bucket.Count >= trigger.Threshold : bucket.Count < trigger.Threshold;
            if (ready && meets)
            {
                var triggering = @event ?? bucket.LastEvent;
                var ids = bucket.EventIds;
                if (triggering is not null && !ids.Contains(triggering.Id))
                {
                    ids = [.. ids, triggering.Id];
                }

                Remove(trigger, bucket);
                Fire(trigger, new Pending(Labels(trigger, bucket.Key), KeyText(bucket.Key), triggering, ids));
            }
            else if (at < bucket.End)
            {
                // An event that is both after and expected, and the proactive count is already met: the window restarts
                // from this event (e.g. heartbeats: after each one, expect the next).
                if (@event is not null && trigger.Posture == Posture.Proactive && !meets
                    && trigger.StartsAfter(@event.Name) && trigger.Expects(@event.Name))
                {
                    Put(trigger, new TriggerBucket { Key = bucket.Key, Start = @event.Occurred, End = @event.Occurred + trigger.Within, LastEvent = @event });
                }

                return;
            }

            if (!trigger.After.IsDefaultOrEmpty)
            {
                // Only the next after event opens a window again.
                Remove(trigger, bucket);
                return;
            }

            if (trigger.Within == TimeSpan.Zero)
            {
                return;
            }

            var start = bucket.End > at ? bucket.End : at;
            if (trigger.Posture == Posture.Reactive && count > 0)
            {
                // The event came after the window: it opens the next one and is evaluated there.
                EvaluateBucket(trigger, Put(trigger, new TriggerBucket { Key = bucket.Key, Start = start, End = start + trigger.Within }), at, @event);
            }
            else
            {
                Put(trigger, new TriggerBucket { Key = bucket.Key, Start = start, End = start + trigger.Within, Count = count });
            }
        }

        private static ImmutableSortedDictionary<string, string> Labels(EventTrigger trigger, ImmutableArray<string> key)
        {
            var labels = trigger.ForEach.IsDefaultOrEmpty ? [] : trigger.ForEach.Order(StringComparer.Ordinal).ToArray();
            return labels.Zip(key.IsDefault ? [] : key).ToImmutableSortedDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        }

        private void Fire(AutomationTrigger trigger, Pending firing)
        {
            if (!_parents.TryGetValue(trigger.Id, out var parent))
            {
                _firings.Add(new TriggerFiring
                {
                    TriggerId = _top.Id,
                    Triggered = _now,
                    TriggeringLabels = firing.Labels,
                    BucketKey = firing.Key,
                    TriggeringEvent = firing.Event,
                    EventIds = firing.EventIds,
                });
                return;
            }

            if (parent.ExpectedFirings == 1)
            {
                Fire(parent, firing with { Labels = ImmutableSortedDictionary<string, string>.Empty, Key = "" });
                return;
            }

            if (!_children.TryGetValue(parent.Id, out var list))
            {
                _children[parent.Id] = list = [];
            }

            if (parent.Within is { } within)
            {
                list.RemoveAll(f => f.Triggered < _now - within);
            }

            list.RemoveAll(f => f.TriggerId == trigger.Id);
            list.Add(new ChildFiring { TriggerId = trigger.Id, Triggered = _now, TriggeringEvent = firing.Event, EventIds = firing.EventIds });
            _changed = true;

            // Stable: firings of one instant keep their arrival order.
            var order = list.OrderBy(f => f.Triggered).Select(f => f.TriggerId).ToList();
            if (!parent.ReadyToFire(order))
            {
                return;
            }

            var ids = list.SelectMany(f => f.EventIds).Distinct().ToImmutableArray();
            list.Clear();
            Fire(parent, new Pending(ImmutableSortedDictionary<string, string>.Empty, "", firing.Event, ids));
        }
    }
}
