using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Events;

namespace OrleansFlow.Silo.Tests.Conformance;

public abstract partial class StoreConformance
{
    protected EventStore Events => new(Silo.Database, Clock);

    protected static Event NewEvent(string name = "acme.thing.happened", string resourceId = "acme.thing.1", DateTimeOffset? occurred = null,
        Guid? id = null, params Resource[] related) => new()
        {
            Id = id ?? Guid.NewGuid(),
            Occurred = occurred ?? Start,
            Name = name,
            Resource = Resource.Of(resourceId, (Resource.NameLabel, "thing")),
            Related = related,
            Payload = JsonDocument.Parse("""{"n":1}""").RootElement.Clone(),
        };

    [Fact]
    public async Task EventStore_InsertSameIdTwice_StoresItOnce()
    {
        var first = NewEvent(related: Resource.Related("prefect.tag.a", "tag"));

        var inserted = await Events.InsertAsync([first, first]);
        var again = await Events.InsertAsync([first with { Name = "acme.other" }]);
        var stored = await Events.ReadAfterAsync(0, 100);

        Assert.Equal(1, inserted);
        Assert.Equal(0, again);
        var single = Assert.Single(stored).Event;
        Assert.Equal(("acme.thing.happened", "acme.thing.1", "thing"), (single.Name, single.Resource.Id, single.Resource.Name));
        Assert.Equal(Start, single.Occurred);
        Assert.Equal(Start, single.Received);
        Assert.Equal("tag", Assert.Single(single.Related).Role);
        Assert.Equal(1, single.Payload!.Value.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task EventStore_InsertManyInOneCall_StoresEachOnceInOrderWithItsRelatedRows()
    {
        // More events and resource rows than one statement of named parameters could bind on PostgreSQL, an id repeated
        // within the call (the first wins, as a second call would find it stored), and an event with no payload that
        // follows another.
        var events = Enumerable.Range(0, 1200).Select(i => NewEvent($"acme.e{i}", occurred: Start.AddMilliseconds(i),
            related: [Resource.Related($"acme.batch.{i % 7}", "batch"), Resource.Related("prefect.tag.many", "tag")])).ToList();
        events[5] = events[5] with { Payload = null, Follows = events[4].Id };
        var repeated = events[3] with { Name = "acme.repeated", Related = [Resource.Related("acme.only-in-the-repeat", "batch")] };

        var inserted = await Events.InsertAsync([.. events, repeated]);
        var stored = new List<StoredEvent>();
        for (var page = await Events.ReadAfterAsync(0, 500); page.Count > 0; page = await Events.ReadAfterAsync(page[^1].Seq, 500))
        {
            stored.AddRange(page);
        }

        var inBatchThree = await Events.FilterAsync(new EventFilter
        {
            Occurred = new EventOccurredFilter { Since = Start.AddDays(-1), Until = Start.AddDays(1) },
            Related = [new EventRelatedFilter { Id = ["acme.batch.3"], Role = ["batch"] }],
        }, limit: 50);
        var onlyInTheRepeat = await Events.FilterAsync(new EventFilter
        {
            Occurred = new EventOccurredFilter { Since = Start.AddDays(-1), Until = Start.AddDays(1) },
            Related = [new EventRelatedFilter { Id = ["acme.only-in-the-repeat"] }],
        }, limit: 50);

        Assert.Equal(1200, inserted);
        Assert.Equal(events.Select(e => (e.Id, e.Name)), stored.Select(s => (s.Event.Id, s.Event.Name)));
        Assert.True(stored.Zip(stored.Skip(1)).All(p => p.First.Seq < p.Second.Seq));
        Assert.Null(stored[5].Event.Payload);
        Assert.Equal(events[4].Id, stored[5].Event.Follows);
        Assert.Equal(["acme.batch.5", "prefect.tag.many"], stored[5].Event.Related.Select(r => r.Id));
        Assert.Equal(Enumerable.Range(0, 1200).Count(i => i % 7 == 3), inBatchThree.Total);
        Assert.Equal(0, onlyInTheRepeat.Total);
    }

    [Fact]
    public async Task EventStore_ReadAfter_ReturnsLaterEventsInSeqOrderUpToTheLimit()
    {
        var events = Enumerable.Range(0, 5).Select(i => NewEvent($"acme.e{i}")).ToList();
        foreach (var e in events)
        {
            await Events.InsertAsync([e]);
        }

        var all = await Events.ReadAfterAsync(0, 100);
        var page = await Events.ReadAfterAsync(all[1].Seq, 2);

        Assert.Equal(events.Select(e => e.Id), all.Select(s => s.Event.Id));
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Seq < p.Second.Seq));
        Assert.Equal([all[2].Event.Id, all[3].Event.Id], page.Select(s => s.Event.Id));
        Assert.Equal(all[^1].Seq, await Events.LastSeqAsync());
    }

    [Fact]
    public async Task FlowRunStateChanges_EmitPrefectEventsInTheSameTransaction()
    {
        var flow = await NewFlowAsync("etl", "team-a");
        var run = await RunningFlowRunAsync(flow.Id, "brave-fox", ["prod"]);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Silo.FlowRun(run.Id).SetStateAsync(Proposed(StateType.Completed), force: false);

        var events = (await Events.ReadAfterAsync(0, 100)).Select(s => s.Event).ToList();
        var states = await Queries.FlowRunStatesAsync(run.Id, default);

        Assert.Equal(["prefect.flow-run.Scheduled", "prefect.flow-run.Pending", "prefect.flow-run.Running", "prefect.flow-run.Completed"],
            events.Select(e => e.Name));
        Assert.Equal(states.Select(s => s.Id), events.Select(e => e.Id));
        Assert.Null(events[0].Follows);
        Assert.Equal(events.Take(3).Select(e => (Guid?)e.Id), events.Skip(1).Select(e => e.Follows));
        var completed = events[^1];
        Assert.Equal($"prefect.flow-run.{run.Id:D}", completed.Resource.Id);
        Assert.Equal("brave-fox", completed.Resource.Name);
        Assert.Equal("Completed", completed.Resource["prefect.state-name"]);
        Assert.Equal("COMPLETED", completed.Resource["prefect.state-type"]);
        Assert.Equal(StateChangeEvents.Timestamp(states[^1].Timestamp), completed.Resource["prefect.state-timestamp"]);
        Assert.Equal(states[^1].Timestamp, completed.Occurred);
        var flowResource = Assert.Single(completed.RelatedInRole("flow"));
        Assert.Equal(($"prefect.flow.{flow.Id:D}", "etl"), (flowResource.Id, flowResource.Name));
        Assert.Equal(["prefect.tag.prod", "prefect.tag.team-a"], completed.RelatedInRole("tag").Select(r => r.Id));
        var payload = completed.Payload!.Value;
        Assert.Equal("RUNNING", payload.GetProperty("intended").GetProperty("from").GetString());
        Assert.Equal("COMPLETED", payload.GetProperty("intended").GetProperty("to").GetString());
        Assert.Equal("Running", payload.GetProperty("initial_state").GetProperty("name").GetString());
        Assert.Equal("COMPLETED", payload.GetProperty("validated_state").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, events[0].Payload!.Value.GetProperty("initial_state").ValueKind);
    }

    [Fact]
    public async Task TaskRunStateChanges_EmitEventsRelatedToTheFlowRun()
    {
        var run = await RunningFlowRunAsync(tags: ["prod"]);
        var task = await NewTaskRunAsync(run.Id, tags: ["db"]);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Silo.TaskRun(task.Id).SetStateAsync(Proposed(StateType.Running), force: false);

        var events = (await Events.ReadAfterAsync(0, 100)).Select(s => s.Event).Where(e => e.Name.StartsWith("prefect.task-run.", StringComparison.Ordinal)).ToList();

        Assert.Equal(["prefect.task-run.Pending", "prefect.task-run.Running"], events.Select(e => e.Name));
        Assert.Equal($"prefect.task-run.{task.Id:D}", events[1].Resource.Id);
        Assert.Equal(events[0].Id, events[1].Follows);
        var flowRun = Assert.Single(events[1].RelatedInRole("flow-run"));
        Assert.Equal(($"prefect.flow-run.{run.Id:D}", "brave-fox"), (flowRun.Id, flowRun.Name));
        Assert.Single(events[1].RelatedInRole("flow"));
        Assert.Equal(["prefect.tag.db", "prefect.tag.prod"], events[1].RelatedInRole("tag").Select(r => r.Id));
    }

    [Fact]
    public async Task RejectedTransition_EmitsNoEvent()
    {
        var run = await RunningFlowRunAsync();
        var before = await Events.LastSeqAsync();

        // A running run is never PENDING again (two workers can never both start it): no state is written, so no event.
        var result = await Silo.FlowRun(run.Id).SetStateAsync(Proposed(StateType.Pending), force: false);

        Assert.NotEqual(Grains.Orchestration.OrchestrationStatus.Accept, result.Result.Status);
        Assert.Empty(await Events.ReadAfterAsync(before, 100));
    }

    [Fact]
    public async Task EmittedEvent_OfAUnitThatRollsBack_IsNotStored()
    {
        var kept = NewEvent("acme.kept");
        var lost = NewEvent("acme.lost");

        var failing = Silo.Database.WriteAsync<bool>(session =>
        {
            session.Emit(lost);
            throw new InvalidOperationException("the change failed");
        }, default);
        var succeeding = Silo.Database.WriteAsync(session =>
        {
            session.Emit(kept);
            return Task.FromResult(true);
        }, default);

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.True(await succeeding);
        Assert.Equal(["acme.kept"], (await Events.ReadAfterAsync(0, 100)).Select(s => s.Event.Name));
    }

    [Fact]
    public async Task EventStore_DeleteOlderThan_DeletesOldEventsInBatches()
    {
        var old = Enumerable.Range(0, 5).Select(i => NewEvent($"acme.old{i}", occurred: Start.AddDays(-10).AddMinutes(i))).ToList();
        var recent = NewEvent("acme.recent", occurred: Start.AddHours(-1));
        await Events.InsertAsReceivedAsync([.. old, recent]);

        var first = await Events.DeleteOlderThanAsync(Start.AddDays(-7), 3);
        var second = await Events.DeleteOlderThanAsync(Start.AddDays(-7), 3);
        var third = await Events.DeleteOlderThanAsync(Start.AddDays(-7), 3);

        Assert.Equal((3, 2, 0), (first, second, third));
        Assert.Equal(["acme.recent"], (await Events.ReadAfterAsync(0, 100)).Select(s => s.Event.Name));
    }

    [Fact]
    public async Task EventFeed_DeliversNewEventsInSeqOrderToMatchingSubscribers()
    {
        await using var feed = new EventFeed(Events, Silo.Database, Clock, new EventFeedOptions(), NullLogger<EventFeed>.Instance);
        await Events.InsertAsync([NewEvent("acme.before")]);
        await feed.RunOnceAsync();
        await using var all = feed.Subscribe();
        await using var onlyB = feed.Subscribe(e => e.Name == "acme.b");

        await Events.InsertAsync([NewEvent("acme.a"), NewEvent("acme.b")]);
        await Events.InsertAsync([NewEvent("acme.c")]);
        var delivered = await feed.RunOnceAsync();

        Assert.Equal(3, delivered);
        Assert.Equal(["acme.a", "acme.b", "acme.c"], [(await all.ReadAsync())!.Event.Name, (await all.ReadAsync())!.Event.Name, (await all.ReadAsync())!.Event.Name]);
        Assert.Equal("acme.b", (await onlyB.ReadAsync())!.Event.Name);
        Assert.Equal(await Events.LastSeqAsync(), feed.Position);
    }

    [Fact]
    public async Task EventFeed_WithNoSubscriber_MovesToTheLastSeqOfEachCommitWithoutPolling()
    {
        // No waiting for gaps: on PostgreSQL the skipped duplicate below takes a seq that is never stored.
        await using var feed = new EventFeed(Events, Silo.Database, Clock, new EventFeedOptions { GapTimeout = TimeSpan.Zero },
            NullLogger<EventFeed>.Instance);
        var stored = NewEvent("acme.stored");
        await Events.InsertAsync([stored]);
        await feed.RunOnceAsync();
        var tag = Resource.Related("prefect.tag.a", "tag");

        // The last event of the commit is stored already, and the others have related rows: the feed moves to b's seq.
        await Silo.Database.WriteAsync(session =>
        {
            session.Emit(NewEvent("acme.a", related: tag));
            session.Emit(NewEvent("acme.b", related: tag));
            session.Emit(stored);
            return Task.FromResult(true);
        }, default);

        var all = await Events.ReadAfterAsync(0, 100);
        Assert.Equal(["acme.stored", "acme.a", "acme.b"], all.Select(s => s.Event.Name));
        Assert.Equal(all[^1].Seq, feed.Position);

        // A subscriber starts there; with it, a commit leaves the position to the poll, which hands on the new event.
        await using var subscription = feed.Subscribe();
        Assert.Equal(all[^1].Seq, subscription.StartSeq);
        await Silo.Database.WriteAsync(session =>
        {
            session.Emit(NewEvent("acme.c", related: tag));
            return Task.FromResult(true);
        }, default);
        Assert.Equal(all[^1].Seq, feed.Position);

        Assert.Equal(1, await feed.RunOnceAsync());
        Assert.Equal("acme.c", (await subscription.ReadAsync())!.Event.Name);
        Assert.Equal(await Events.LastSeqAsync(), feed.Position);
    }
}
