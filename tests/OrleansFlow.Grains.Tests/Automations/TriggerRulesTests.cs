using System.Text.Json;
using OrleansFlow.Grains.Automations;
using OrleansFlow.Grains.Events;

namespace OrleansFlow.Grains.Tests.Automations;

public sealed class TriggerRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid Run1 = Guid.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly Guid Run2 = Guid.Parse("00000000-0000-0000-0000-000000000002");
    private static readonly Guid Deployment = Guid.Parse("00000000-0000-0000-0000-0000000000d1");

    private static int _ids;

    private static AutomationTrigger Trigger(string json)
    {
        var n = 0;
        return AutomationJson.ParseRequest(JsonDocument.Parse($$"""{"name": "a", "trigger": {{json}}, "actions": []}""").RootElement, create: true,
            () => new Guid(++n, 0, 0, new byte[8])).Trigger;
    }

    private static Event RunEvent(string state, Guid run, double seconds, Guid? deployment = null) => new()
    {
        Id = new Guid(Interlocked.Increment(ref _ids), 1, 1, new byte[8]),
        Occurred = T0.AddSeconds(seconds),
        Name = $"prefect.flow-run.{state}",
        Resource = Resource.Of($"prefect.flow-run.{run}", ("prefect.state-type", state.ToUpperInvariant())),
        Related = deployment is { } d ? [Resource.Related($"prefect.deployment.{d}", "deployment")] : [],
    };

    private static (AutomationTriggerState State, List<TriggerFiring> Firings) Feed(AutomationTrigger trigger, AutomationTriggerState state, params Event[] events)
    {
        var firings = new List<TriggerFiring>();
        foreach (var e in events)
        {
            var result = TriggerRules.Evaluate(trigger, state, e, e.Occurred);
            state = result.State;
            firings.AddRange(result.Firings);
        }

        return (state, firings);
    }

    [Fact]
    public void Evaluate_ReactiveImmediate_FiresOncePerMatchingEvent()
    {
        var trigger = Trigger("""{"type": "event", "posture": "Reactive", "expect": ["prefect.flow-run.Failed"], "threshold": 1, "within": 0}""");
        var (_, firings) = Feed(trigger, AutomationTriggerState.Empty,
            RunEvent("Failed", Run1, 0), RunEvent("Completed", Run2, 1), RunEvent("Failed", Run2, 2));
        Assert.Equal(2, firings.Count);
        Assert.Equal($"prefect.flow-run.{Run2}", firings[1].TriggeringEvent!.Resource.Id);
    }

    [Fact]
    public void Evaluate_SameEventTwice_CountsOnce()
    {
        var trigger = Trigger("""{"posture": "Reactive", "expect": ["prefect.flow-run.Failed"]}""");
        var failed = RunEvent("Failed", Run1, 0);
        var (state, firings) = Feed(trigger, AutomationTriggerState.Empty, failed);
        var again = TriggerRules.Evaluate(trigger, state, failed, T0);
        Assert.Single(firings);
        Assert.Empty(again.Firings);
        Assert.False(again.Changed);
    }

    [Fact]
    public void Evaluate_EventOfAnotherName_OrResource_IsIgnored()
    {
        var trigger = Trigger("""{"posture": "Reactive", "expect": ["prefect.flow-run.Failed"], "match": {"prefect.resource.id": "prefect.flow-run.*"}, "match_related": {"prefect.resource.role": "deployment", "prefect.resource.id": "prefect.deployment.00000000-0000-0000-0000-0000000000d1"}}""");
        var (_, firings) = Feed(trigger, AutomationTriggerState.Empty, RunEvent("Failed", Run1, 0), RunEvent("Crashed", Run1, 1, Deployment));
        Assert.Empty(firings);
        var (_, matching) = Feed(trigger, AutomationTriggerState.Empty, RunEvent("Failed", Run1, 2, Deployment));
        Assert.Single(matching);
    }

    [Fact]
    public void Evaluate_ForEachResourceThreshold3Within60_FiresOnTheThirdFailureOfOneRun()
    {
        var trigger = Trigger("""{"posture": "Reactive", "expect": ["prefect.flow-run.Failed"], "for_each": ["prefect.resource.id"], "threshold": 3, "within": 60}""");
        var (state, firings) = Feed(trigger, AutomationTriggerState.Empty,
            RunEvent("Failed", Run1, 0), RunEvent("Failed", Run2, 1), RunEvent("Failed", Run1, 10), RunEvent("Failed", Run2, 11));
        Assert.Empty(firings);
        var third = RunEvent("Failed", Run1, 20);
        var result = TriggerRules.Evaluate(trigger, state, third, third.Occurred);
        var firing = Assert.Single(result.Firings);
        Assert.Equal(third.Id, firing.TriggeringEvent!.Id);
        Assert.Equal($"prefect.flow-run.{Run1}", firing.TriggeringLabels["prefect.resource.id"]);
        Assert.Equal(3, firing.EventIds.Length);

        // The rest of the window that fired is ignored; Run2's bucket is untouched.
        var (_, after) = Feed(trigger, result.State, RunEvent("Failed", Run1, 30));
        Assert.Empty(after);
        var (_, run2) = Feed(trigger, result.State, RunEvent("Failed", Run2, 40));
        Assert.Single(run2);
    }

    [Fact]
    public void Evaluate_ThresholdNotReachedWithinTheWindow_DoesNotFire()
    {
        var trigger = Trigger("""{"posture": "Reactive", "expect": ["prefect.flow-run.Failed"], "threshold": 2, "within": 60}""");
        var (_, firings) = Feed(trigger, AutomationTriggerState.Empty, RunEvent("Failed", Run1, 0), RunEvent("Failed", Run1, 61));
        Assert.Empty(firings);
    }

    private const string NoCompletion =
        """{"posture": "Proactive", "after": ["prefect.flow-run.Running"], "expect": ["prefect.flow-run.Completed"], "for_each": ["prefect.resource.id"], "threshold": 1, "within": 30}""";

    [Fact]
    public void Tick_ProactiveDeadlinePassedWithoutTheExpectedEvent_FiresOnceNotRepeatedly()
    {
        var trigger = Trigger(NoCompletion);
        var running = RunEvent("Running", Run1, 0);
        var (state, firings) = Feed(trigger, AutomationTriggerState.Empty, running);
        Assert.Empty(firings);
        Assert.Equal(T0.AddSeconds(30), TriggerRules.NextDeadline(trigger, state));

        var early = TriggerRules.Tick(trigger, state, T0.AddSeconds(29));
        Assert.Empty(early.Firings);
        var due = TriggerRules.Tick(trigger, early.State, T0.AddSeconds(30));
        var firing = Assert.Single(due.Firings);
        Assert.Equal(running.Id, firing.TriggeringEvent!.Id);
        Assert.Null(TriggerRules.NextDeadline(trigger, due.State));

        var later = TriggerRules.Tick(trigger, due.State, T0.AddSeconds(90));
        Assert.Empty(later.Firings);
        Assert.Empty(TriggerRules.Tick(trigger, later.State, T0.AddHours(1)).Firings);
    }

    [Fact]
    public void Tick_ProactiveExpectedEventArrived_DoesNotFire()
    {
        var trigger = Trigger(NoCompletion);
        var (state, _) = Feed(trigger, AutomationTriggerState.Empty, RunEvent("Running", Run1, 0), RunEvent("Running", Run2, 1), RunEvent("Completed", Run1, 20));
        var due = TriggerRules.Tick(trigger, state, T0.AddSeconds(40));
        var firing = Assert.Single(due.Firings);
        Assert.Equal($"prefect.flow-run.{Run2}", firing.TriggeringLabels["prefect.resource.id"]);
    }

    [Fact]
    public void Tick_ProactiveWithoutAfterEvent_HasNoWindow()
    {
        var trigger = Trigger(NoCompletion);
        var (state, _) = Feed(trigger, AutomationTriggerState.Empty, RunEvent("Completed", Run1, 0));
        Assert.Empty(TriggerRules.Tick(trigger, state, T0.AddMinutes(5)).Firings);
    }

    [Fact]
    public void Tick_ProactiveWithNeitherAfterNorForEach_FiresForEachEmptyWindow()
    {
        var trigger = Trigger("""{"posture": "Proactive", "expect": ["prefect.flow-run.Completed"], "within": 60}""");
        Assert.Equal(DateTimeOffset.MinValue, TriggerRules.NextDeadline(trigger, AutomationTriggerState.Empty));
        var opened = TriggerRules.Tick(trigger, AutomationTriggerState.Empty, T0);
        Assert.Empty(opened.Firings);
        Assert.Equal(T0.AddSeconds(60), TriggerRules.NextDeadline(trigger, opened.State));
        var (withEvent, _) = Feed(trigger, opened.State, RunEvent("Completed", Run1, 10));
        Assert.Empty(TriggerRules.Tick(trigger, withEvent, T0.AddSeconds(60)).Firings);
        var empty = TriggerRules.Tick(trigger, opened.State, T0.AddSeconds(60));
        Assert.Single(empty.Firings);
        Assert.Single(TriggerRules.Tick(trigger, empty.State, T0.AddSeconds(120)).Firings);
    }

    [Fact]
    public void Evaluate_ProactiveHeartbeatBothAfterAndExpected_RestartsTheWindow()
    {
        var trigger = Trigger("""{"posture": "Proactive", "after": ["prefect.flow-run.Heartbeat"], "expect": ["prefect.flow-run.Heartbeat"], "for_each": ["prefect.resource.id"], "within": 30}""");
        var (state, _) = Feed(trigger, AutomationTriggerState.Empty, RunEvent("Heartbeat", Run1, 0), RunEvent("Heartbeat", Run1, 20), RunEvent("Heartbeat", Run1, 40));
        Assert.Empty(TriggerRules.Tick(trigger, state, T0.AddSeconds(65)).Firings);
        Assert.Single(TriggerRules.Tick(trigger, state, T0.AddSeconds(71)).Firings);
    }

    [Fact]
    public void Evaluate_CompoundAll_FiresWhenEveryChildFired()
    {
        var trigger = Trigger("""{"type": "compound", "require": "all", "within": 300, "triggers": [ {"posture": "Reactive", "expect": ["prefect.flow-run.Failed"]}, {"posture": "Reactive", "expect": ["prefect.flow-run.Crashed"]}]}""");
        var (state, firings) = Feed(trigger, AutomationTriggerState.Empty, RunEvent("Failed", Run1, 0), RunEvent("Failed", Run2, 1));
        Assert.Empty(firings);
        var (after, fired) = Feed(trigger, state, RunEvent("Crashed", Run1, 2));
        var firing = Assert.Single(fired);
        Assert.Equal(trigger.Id, firing.TriggerId);
        Assert.Empty(after.ChildFirings);
    }

    [Fact]
    public void Evaluate_CompoundAny_FiresOnAnyChild()
    {
        var trigger = Trigger("""{"type": "compound", "require": "any", "triggers": [ {"posture": "Reactive", "expect": ["prefect.flow-run.Failed"]}, {"posture": "Reactive", "expect": ["prefect.flow-run.Crashed"]}]}""");
        Assert.Single(Feed(trigger, AutomationTriggerState.Empty, RunEvent("Crashed", Run1, 0)).Firings);
    }

    [Fact]
    public void Evaluate_Sequence_FiresOnlyInOrder()
    {
        var trigger = Trigger("""{"type": "sequence", "within": 300, "triggers": [ {"posture": "Reactive", "expect": ["prefect.flow-run.Running"]}, {"posture": "Reactive", "expect": ["prefect.flow-run.Failed"]}]}""");
        var outOfOrder = AutomationTriggerState.Empty;
        var firings = new List<TriggerFiring>();
        foreach (var (e, at) in new[] { (RunEvent("Failed", Run1, 0), 0), (RunEvent("Running", Run1, 1), 1) })
        {
            var r = TriggerRules.Evaluate(trigger, outOfOrder, e, T0.AddSeconds(at));
            outOfOrder = r.State;
            firings.AddRange(r.Firings);
        }

        Assert.Empty(firings);
        var inOrder = TriggerRules.Evaluate(trigger, outOfOrder, RunEvent("Failed", Run1, 2), T0.AddSeconds(2));
        Assert.Single(inOrder.Firings);
    }

    [Fact]
    public void Tick_CompositeChildFiringsOlderThanWithin_AreForgotten()
    {
        var trigger = Trigger("""{"type": "compound", "require": 2, "within": 60, "triggers": [ {"posture": "Reactive", "expect": ["prefect.flow-run.Failed"]}, {"posture": "Reactive", "expect": ["prefect.flow-run.Crashed"]}]}""");
        var first = TriggerRules.Evaluate(trigger, AutomationTriggerState.Empty, RunEvent("Failed", Run1, 0), T0);
        var swept = TriggerRules.Tick(trigger, first.State, T0.AddSeconds(61));
        Assert.Empty(swept.State.ChildFirings);
        Assert.Empty(TriggerRules.Evaluate(trigger, swept.State, RunEvent("Crashed", Run1, 62), T0.AddSeconds(62)).Firings);
    }

    [Fact]
    public void Evaluate_ForEachRelatedLabel_BucketsByTheRelatedResource()
    {
        var trigger = Trigger("""{"posture": "Reactive", "expect": ["prefect.flow-run.Failed"], "for_each": ["related:deployment:prefect.resource.id"], "threshold": 2, "within": 60}""");
        var (_, firings) = Feed(trigger, AutomationTriggerState.Empty, RunEvent("Failed", Run1, 0, Deployment), RunEvent("Failed", Run2, 1, Deployment));
        var firing = Assert.Single(firings);
        Assert.Equal($"prefect.deployment.{Deployment}", firing.TriggeringLabels["related:deployment:prefect.resource.id"]);
    }

    [Fact]
    public void State_RoundTripsThroughJson()
    {
        var trigger = Trigger(NoCompletion);
        var (state, _) = Feed(trigger, AutomationTriggerState.Empty, RunEvent("Running", Run1, 0));
        var text = JsonSerializer.Serialize(state, OrleansFlow.Grains.Json.OrleansFlowJson.Options);
        var back = JsonSerializer.Deserialize<AutomationTriggerState>(text, OrleansFlow.Grains.Json.OrleansFlowJson.Options)!;
        Assert.Single(TriggerRules.Tick(trigger, back, T0.AddSeconds(30)).Firings);
    }
}
