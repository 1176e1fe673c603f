using Microsoft.Extensions.DependencyInjection;
using OrleansFlow.Grains.Automations;
using OrleansFlow.Grains.Deployments;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Silo.Automations;
using OrleansFlow.Silo.Deployments;
using OrleansFlow.Silo.Notifications;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.Tests.Conformance;

public abstract partial class StoreConformance
{
    private AutomationCatalog Automations => new(Silo);

    private Automation ParseAutomation(string json, OrleansFlowSilo? node = null) =>
        AutomationJson.ParseRequest(Json(json), create: true, (node ?? Silo).NewId);

    private Event RunEvent(string state, Guid runId, Guid? deploymentId = null) => new()
    {
        Id = Silo.NewId(),
        Occurred = Clock.GetUtcNow(),
        Name = $"prefect.flow-run.{state}",
        Resource = Resource.Of($"prefect.flow-run.{runId}", ("prefect.state-name", state)),
        Related = deploymentId is { } d ? [Resource.Related($"prefect.deployment.{d}", "deployment")] : [],
        Received = Clock.GetUtcNow(),
    };

    private static string OnFailure(string actions = """[{"type": "do-nothing"}]""") =>
        $$$"""{"name": "on failure", "trigger": {"posture": "Reactive", "expect": ["prefect.flow-run.Failed"], "match": {"prefect.resource.id": "prefect.flow-run.*"}}, "actions": {{{actions}}}}""";

    [Fact]
    public async Task Automations_CreateGetReplaceEnableDelete_RoundTrip()
    {
        var created = await Automations.CreateAsync(ParseAutomation(OnFailure()), default);
        Assert.Equal(Clock.GetUtcNow(), created.Created);
        var read = await Automations.GetAsync(created.Id, default);
        Assert.NotNull(read);
        Assert.Equal("on failure", read.Name);
        Assert.Equal(created.Trigger.Id, read.Trigger.Id);
        Assert.True(read.Enabled);

        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await Automations.ReplaceAsync(created.Id, ParseAutomation(OnFailure().Replace("on failure", "renamed", StringComparison.Ordinal)), default));
        var replaced = (await Automations.GetAsync(created.Id, default))!;
        Assert.Equal("renamed", replaced.Name);
        Assert.Equal(created.Created, replaced.Created);
        Assert.Equal(Clock.GetUtcNow(), replaced.Updated);
        Assert.NotEqual(created.Trigger.Id, replaced.Trigger.Id);

        Assert.True(await Automations.SetEnabledAsync(created.Id, false, default));
        Assert.False((await Automations.GetAsync(created.Id, default))!.Enabled);
        Assert.True(await Automations.DeleteAsync(created.Id, default));
        Assert.Null(await Automations.GetAsync(created.Id, default));
        Assert.False(await Automations.DeleteAsync(created.Id, default));
        Assert.False(await Automations.ReplaceAsync(created.Id, ParseAutomation(OnFailure()), default));
        Assert.False(await Automations.SetEnabledAsync(created.Id, true, default));
    }

    [Fact]
    public async Task Automations_Filter_SortsPagesAndFiltersByNameTagsAndEnabled()
    {
        foreach (var (name, tags) in new[] { ("b", "[\"x\"]"), ("a", "[\"x\", \"y\"]"), ("c", "[]") })
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            await Automations.CreateAsync(ParseAutomation(OnFailure().Replace("\"on failure\"", $"\"{name}\", \"tags\": {tags}", StringComparison.Ordinal)), default);
        }

        Assert.Equal(["a", "b", "c"], (await Automations.FilterAsync(new AutomationQuery(), default)).Select(a => a.Name));
        Assert.Equal(["c", "a", "b"], (await Automations.FilterAsync(new AutomationQuery { Sort = AutomationSort.CreatedDesc }, default)).Select(a => a.Name));
        Assert.Equal(["b"], (await Automations.FilterAsync(new AutomationQuery { Sort = AutomationSort.NameDesc, Limit = 1, Offset = 1 }, default)).Select(a => a.Name));
        Assert.Equal(["a", "c"], (await Automations.FilterAsync(new AutomationQuery { NameAny = ["c", "a", "zz"] }, default)).Select(a => a.Name));
        Assert.Equal(["a"], (await Automations.FilterAsync(new AutomationQuery { TagsAll = ["x", "y"] }, default)).Select(a => a.Name));
        Assert.Equal(3, await Automations.CountAsync(null, default));
        Assert.Equal(2, await Automations.CountAsync(new AutomationQuery { TagsAll = ["x"] }, default));
        var c = (await Automations.FilterAsync(new AutomationQuery { NameAny = ["c"] }, default)).Single();
        await Automations.SetEnabledAsync(c.Id, false, default);
        Assert.Equal(["a", "b"], (await Automations.EnabledAsync(default)).Select(a => a.Name));
    }

    [Fact]
    public async Task Automations_RelatedToDeployments_AndOwnedByResource()
    {
        var deployment = Guid.NewGuid();
        var runs = await Automations.CreateAsync(ParseAutomation(OnFailure($$"""[{"type": "run-deployment", "deployment_id": "{{deployment}}"}]""")), default);
        var owned = await Automations.CreateAsync(ParseAutomation(OnFailure().TrimEnd('}') + """, "owner_resource": "prefect.deployment.owner"}"""), default);
        Assert.Equal([runs.Id], (await Automations.RelatedToAsync($"prefect.deployment.{deployment}", default)).Select(a => a.Id));
        Assert.Equal([owned.Id], (await Automations.RelatedToAsync("prefect.deployment.owner", default)).Select(a => a.Id));

        // Replacing drops the relation to a deployment the automation no longer runs, but keeps ownership.
        Assert.True(await Automations.ReplaceAsync(runs.Id, ParseAutomation(OnFailure()), default));
        Assert.Empty(await Automations.RelatedToAsync($"prefect.deployment.{deployment}", default));
        Assert.True(await Automations.ReplaceAsync(owned.Id, ParseAutomation(OnFailure()), default));
        Assert.Equal(1, await Automations.DeleteOwnedByAsync("prefect.deployment.owner", default));
        Assert.Null(await Automations.GetAsync(owned.Id, default));
        Assert.NotNull(await Automations.GetAsync(runs.Id, default));
    }

    [Fact]
    public async Task AutomationTriggerState_StaleVersion_IsRefused()
    {
        var id = Guid.NewGuid();
        var now = Clock.GetUtcNow();
        var version = await Silo.Database.WriteAsync(s => AutomationStore.WriteStateAsync(s, id, AutomationTriggerState.Empty, 0, now, default), default);
        Assert.Equal(1, version);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Silo.Database.WriteAsync(s => AutomationStore.WriteStateAsync(s, id, AutomationTriggerState.Empty, 0, now, default), default));
        Assert.Equal(2, await Silo.Database.WriteAsync(s => AutomationStore.WriteStateAsync(s, id, AutomationTriggerState.Empty, 1, now, default), default));
    }

    [Fact]
    public async Task AutomationGrain_ReactiveFlowRunFailure_FiresOncePerFailure()
    {
        var automation = await Automations.CreateAsync(ParseAutomation(OnFailure()), default);
        var grain = Silo.Grains.GetGrain<IAutomationGrain>(automation.Id);
        var run1 = Guid.NewGuid();
        var run2 = Guid.NewGuid();
        var failed = RunEvent("Failed", run1);
        Assert.Equal(1, await grain.ReceiveAsync([RunEvent("Running", run1), failed]));
        // The same event delivered again (a dispatcher restarting before its cursor was saved) fires nothing.
        Assert.Equal(0, await grain.ReceiveAsync([failed]));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await grain.ReceiveAsync([RunEvent("Completed", run2), RunEvent("Failed", run2)]));

        var firings = await Automations.FiringsAsync(automation.Id, 10, 0, default);
        Assert.Equal(2, firings.Count);
        Assert.Equal($"prefect.flow-run.{run2}", firings[0].TriggeringEvent!.Resource.Id);
        Assert.All(firings, f => Assert.Equal("completed", f.Status));
        Assert.All(firings, f => Assert.Equal(AutomationActionResult.Completed, Assert.Single(f.ActionResults).Status));
        Assert.Contains(failed.Id, firings[1].EventIds);
    }

    [Fact]
    public async Task AutomationGrain_ProactiveNoCompletionWithin30s_FiresOnceNotRepeatedly()
    {
        var deployment = Guid.NewGuid();
        var automation = await Automations.CreateAsync(ParseAutomation($$"""
            {"name": "stuck", "trigger": {"posture": "Proactive", "after": ["prefect.flow-run.Running"], "expect": ["prefect.flow-run.Completed"],
             "match_related": {"prefect.resource.id": "prefect.deployment.{{deployment}}", "prefect.resource.role": "deployment"},
             "for_each": ["prefect.resource.id"], "threshold": 1, "within": 30}, "actions": [{"type": "do-nothing"}]}
            """), default);
        var grain = Silo.Grains.GetGrain<IAutomationGrain>(automation.Id);
        var stuck = RunEvent("Running", Guid.NewGuid(), deployment);
        var finishing = Guid.NewGuid();
        await grain.ReceiveAsync([stuck, RunEvent("Running", finishing, deployment), RunEvent("Running", Guid.NewGuid())]);
        Clock.Advance(TimeSpan.FromSeconds(10));
        await grain.ReceiveAsync([RunEvent("Completed", finishing, deployment)]);
        Clock.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal(0, await grain.TickAsync());
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await grain.TickAsync());
        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, await grain.TickAsync());

        var firing = Assert.Single(await Automations.FiringsAsync(automation.Id, 10, 0, default));
        Assert.Equal(stuck.Id, firing.TriggeringEvent!.Id);
        Assert.Equal(stuck.Resource.Id, firing.TriggeringLabels["prefect.resource.id"]);
    }

    [Fact]
    public async Task AutomationGrain_ForEachRunThreshold3Within60_FiresOnTheThirdFailureOfOneRun_AndSurvivesASiloRestart()
    {
        var automation = await Automations.CreateAsync(ParseAutomation("""
            {"name": "flaky", "trigger": {"posture": "Reactive", "expect": ["prefect.flow-run.Failed"], "for_each": ["prefect.resource.id"], "threshold": 3, "within": 60},
             "actions": [{"type": "do-nothing"}]}
            """), default);
        var run = Guid.NewGuid();
        var other = Guid.NewGuid();
        var grain = Silo.Grains.GetGrain<IAutomationGrain>(automation.Id);
        Assert.Equal(0, await grain.ReceiveAsync([RunEvent("Failed", run), RunEvent("Failed", other)]));
        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await grain.ReceiveAsync([RunEvent("Failed", run), RunEvent("Failed", other)]));

        // The counts were written: a new silo over the same database picks them up.
        await StopNodeAsync(Silo);
        Silo = await StartNodeAsync();
        grain = Silo.Grains.GetGrain<IAutomationGrain>(automation.Id);
        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await grain.ReceiveAsync([RunEvent("Failed", run)]));
        Assert.Equal(0, await grain.ReceiveAsync([RunEvent("Failed", run)]));
        var firing = Assert.Single(await Automations.FiringsAsync(automation.Id, 10, 0, default));
        Assert.Equal($"prefect.flow-run.{run}", firing.TriggeringLabels["prefect.resource.id"]);
        Assert.Equal(3, firing.EventIds.Count);
    }

    [Fact]
    public async Task AutomationGrain_RunDeployment_MakesExactlyOneRunPerFiring_EvenWhenTheFiringIsExecutedTwice()
    {
        var flow = await NewFlowAsync();
        var (deployment, _) = await new DeploymentCatalog(Silo).UpsertAsync(new Deployment { Id = Guid.Empty, Name = "recover", FlowId = flow.Id }, default);
        var automation = await Automations.CreateAsync(ParseAutomation(OnFailure($$$"""
            [{"type": "run-deployment", "source": "selected", "deployment_id": "{{{deployment.Id}}}", "parameters": {"x": 1}},
             {"type": "send-notification", "block_document_id": "{{{Guid.NewGuid()}}}", "body": "failed"}]
            """)), default);
        var grain = Silo.Grains.GetGrain<IAutomationGrain>(automation.Id);
        Assert.Equal(1, await grain.ReceiveAsync([RunEvent("Failed", Guid.NewGuid())]));
        var firing = Assert.Single(await Automations.FiringsAsync(automation.Id, 10, 0, default));
        var run = firing.ActionResults[0];
        Assert.Equal(AutomationActionResult.Completed, run.Status);
        Assert.StartsWith("prefect.flow-run.", run.ResourceId, StringComparison.Ordinal);
        // A notification through a block that does not exist fails alone, and the firing is not reported as a success.
        Assert.Equal(AutomationActionResult.Failed, firing.ActionResults[1].Status);
        Assert.Contains("not found", firing.ActionResults[1].Detail, StringComparison.Ordinal);
        Assert.Equal("failed", firing.Status);

        // A silo that died after creating the run but before recording it executes the firing again.
        await using var services = new ServiceCollection().AddLogging().AddSingleton(Silo).AddOrleansFlowNotifications().BuildServiceProvider();
        var again = await new AutomationActionRunner(Silo, services.GetRequiredService<NotificationSender>()).ExecuteAsync((await Automations.GetAsync(automation.Id, default))!,
            firing with { Status = "pending", ActionResults = [.. firing.ActionResults.Select(r => r with { Status = AutomationActionResult.Pending })] },
            _ => Task.CompletedTask, default);
        Assert.Equal(run.ResourceId, again.ActionResults[0].ResourceId);
        Assert.Equal(1, await Silo.Database.ReadAsync(async s =>
        {
            await using var command = s.Text("SELECT COUNT(*) FROM flow_runs WHERE deployment_id = @id").Add("id", deployment.Id);
            return await command.CountAsync(default);
        }, default));

        // A second firing makes a second run.
        Assert.Equal(1, await grain.ReceiveAsync([RunEvent("Failed", Guid.NewGuid())]));
        Assert.Equal(2, await Silo.Database.ReadAsync(async s =>
        {
            await using var command = s.Text("SELECT COUNT(*) FROM flow_runs WHERE deployment_id = @id").Add("id", deployment.Id);
            return await command.CountAsync(default);
        }, default));
    }

    [Fact]
    public async Task AutomationGrain_PauseDeploymentAndCancelFlowRun_ActThroughTheCatalogsAndGrains()
    {
        var flow = await NewFlowAsync();
        var (deployment, _) = await new DeploymentCatalog(Silo).UpsertAsync(new Deployment { Id = Guid.Empty, Name = "nightly", FlowId = flow.Id }, default);
        var run = await RunningFlowRunAsync(flow.Id);
        var automation = await Automations.CreateAsync(ParseAutomation($$"""
            {"name": "stop", "trigger": {"posture": "Reactive", "expect": ["prefect.flow-run.Running"]},
             "actions": [{"type": "pause-deployment", "source": "inferred"}, {"type": "cancel-flow-run"}, {"type": "pause-automation", "source": "selected", "automation_id": "{{Guid.NewGuid()}}"}]}
            """), default);
        Assert.Equal(1, await Silo.Grains.GetGrain<IAutomationGrain>(automation.Id).ReceiveAsync([RunEvent("Running", run.Id, deployment.Id)]));
        var firing = Assert.Single(await Automations.FiringsAsync(automation.Id, 10, 0, default));
        Assert.Equal([AutomationActionResult.Completed, AutomationActionResult.Completed, AutomationActionResult.Failed], firing.ActionResults.Select(r => r.Status));
        Assert.True((await new DeploymentCatalog(Silo).GetAsync(deployment.Id, default))!.Paused);
        Assert.Equal(Grains.States.StateType.Cancelling, (await Silo.FlowRun(run.Id).GetAsync())!.State!.Type);
    }

    [Fact]
    public async Task AutomationDispatcher_DeliversEachStoredEventOnce_FromItsPersistedCursor()
    {
        var automation = await Automations.CreateAsync(ParseAutomation(OnFailure()), default);
        var source = new ListEventSource();
        source.Add(RunEvent("Failed", Guid.NewGuid()));
        var dispatcher = new AutomationDispatcher(Silo, source) { BatchSize = 2 };

        // The first pass starts at the newest event: history does not fire automations.
        Assert.Equal(0, await dispatcher.RunOnceAsync(default));
        Assert.Equal(1, await dispatcher.CursorAsync(default));

        var failures = Enumerable.Range(0, 3).Select(_ => RunEvent("Failed", Guid.NewGuid())).ToList();
        source.Add(RunEvent("Completed", Guid.NewGuid()));
        foreach (var failure in failures)
        {
            source.Add(failure);
        }

        Assert.Equal(2, await dispatcher.RunOnceAsync(default));
        // A restarted dispatcher (a new instance over the same database) carries on from the cursor.
        Assert.Equal(2, await new AutomationDispatcher(Silo, source) { BatchSize = 2 }.RunOnceAsync(default));
        Assert.Equal(0, await dispatcher.RunOnceAsync(default));
        Assert.Equal(5, await dispatcher.CursorAsync(default));
        Assert.Equal(3, (await Automations.FiringsAsync(automation.Id, 10, 0, default)).Count);

        // Delivered again (a dispatcher that died before saving its cursor): the grain ignores events it applied.
        Assert.Equal(0, await Silo.Grains.GetGrain<IAutomationGrain>(automation.Id).ReceiveAsync(failures));
        Assert.Equal(3, (await Automations.FiringsAsync(automation.Id, 10, 0, default)).Count);
    }

    [Fact]
    public async Task AutomationDispatcher_EventCommittedAfterAHigherSeq_IsDeliveredWhenItAppears_AndAGapIsGivenUpAfterItsTimeout()
    {
        var automation = await Automations.CreateAsync(ParseAutomation(OnFailure()), default);
        var source = new ListEventSource();
        source.Add(RunEvent("Completed", Guid.NewGuid()), seq: 1);
        var dispatcher = new AutomationDispatcher(Silo, source) { GapTimeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(0, await dispatcher.RunOnceAsync(default));

        // Seq 3 commits before seq 2: 3 is delivered at once, 2 is looked for, and the cursor stays below it.
        source.Add(RunEvent("Failed", Guid.NewGuid()), seq: 3);
        Assert.Equal(1, await dispatcher.RunOnceAsync(default));
        Assert.Equal([2L], dispatcher.OpenGaps);
        Assert.Equal(1, await dispatcher.CursorAsync(default));
        Assert.Single(await Automations.FiringsAsync(automation.Id, 10, 0, default));

        // Seq 2 commits: the next pass delivers it, and the cursor moves past both.
        source.Add(RunEvent("Failed", Guid.NewGuid()), seq: 2);
        Assert.Equal(1, await dispatcher.RunOnceAsync(default));
        Assert.Empty(dispatcher.OpenGaps);
        Assert.Equal(3, await dispatcher.CursorAsync(default));
        Assert.Equal(2, (await Automations.FiringsAsync(automation.Id, 10, 0, default)).Count);

        // Seq 4 never commits (its transaction rolled back): it is given up after the timeout, not before.
        source.Add(RunEvent("Failed", Guid.NewGuid()), seq: 5);
        Assert.Equal(1, await dispatcher.RunOnceAsync(default));
        Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await dispatcher.RunOnceAsync(default));
        Assert.Equal(3, await dispatcher.CursorAsync(default));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await dispatcher.RunOnceAsync(default));
        Assert.Empty(dispatcher.OpenGaps);
        Assert.Equal(5, await dispatcher.CursorAsync(default));
        Assert.Equal(3, (await Automations.FiringsAsync(automation.Id, 10, 0, default)).Count);

        // A dispatcher that restarts with a gap open delivers again what lies above the cursor; the grain ignores it.
        source.Add(RunEvent("Failed", Guid.NewGuid()), seq: 7);
        Assert.Equal(1, await dispatcher.RunOnceAsync(default));
        Assert.Equal(5, await dispatcher.CursorAsync(default));
        Assert.Equal(1, await new AutomationDispatcher(Silo, source) { GapTimeout = TimeSpan.FromSeconds(10) }.RunOnceAsync(default));
        Assert.Equal(4, (await Automations.FiringsAsync(automation.Id, 10, 0, default)).Count);
    }

    [Fact]
    public async Task AutomationDispatcher_WithNoAutomationEnabled_MovesPastEvents_AndALaterAutomationSeesOnlyLaterOnes()
    {
        var source = new ListEventSource();
        var dispatcher = new AutomationDispatcher(Silo, source);
        Assert.Equal(0, await dispatcher.RunOnceAsync(default));
        source.Add(RunEvent("Failed", Guid.NewGuid()));
        source.Add(RunEvent("Failed", Guid.NewGuid()));

        Assert.Equal(0, await dispatcher.RunOnceAsync(default));
        Assert.Equal(2, await dispatcher.CursorAsync(default));

        var automation = await Automations.CreateAsync(ParseAutomation(OnFailure()), default);
        source.Add(RunEvent("Failed", Guid.NewGuid()));
        Assert.Equal(1, await dispatcher.RunOnceAsync(default));
        Assert.Single(await Automations.FiringsAsync(automation.Id, 10, 0, default));
        Assert.Equal(3, await dispatcher.CursorAsync(default));
    }

    [Fact]
    public async Task AutomationDispatcher_OnStoredFlowRunEvents_FiresOncePerFailure()
    {
        var dispatcher = Silo.Grains.GetGrain<IAutomationDispatcherGrain>(0);
        var automation = await Automations.CreateAsync(ParseAutomation(OnFailure()), default);
        var flow = await NewFlowAsync();
        var before = await RunningFlowRunAsync(flow.Id);
        Assert.Equal(0, await dispatcher.DrainAsync());

        // Events stored before the dispatcher's first pass are history; from here on every failure fires once.
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Silo.FlowRun(before.Id).SetStateAsync(Proposed(Grains.States.StateType.Failed), force: false);
        var run = await RunningFlowRunAsync(flow.Id, name: "second");
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Silo.FlowRun(run.Id).SetStateAsync(Proposed(Grains.States.StateType.Failed), force: false);
        Assert.True(await dispatcher.DrainAsync() >= 4);
        Assert.Equal(0, await dispatcher.DrainAsync());

        var firings = await Automations.FiringsAsync(automation.Id, 10, 0, default);
        Assert.Equal([$"prefect.flow-run.{run.Id}", $"prefect.flow-run.{before.Id}"], firings.Select(f => f.TriggeringEvent!.Resource.Id));
        Assert.All(firings, f => Assert.Equal("prefect.flow-run.Failed", f.TriggeringEvent!.Name));
    }

    [Fact]
    public async Task AutomationDispatcher_ProactiveNoCompletionForADeployment_FiresOnceAfter30sOfTheClock()
    {
        var dispatcher = Silo.Grains.GetGrain<IAutomationDispatcherGrain>(0);
        await dispatcher.DrainAsync();
        var flow = await NewFlowAsync();
        var deployments = new DeploymentCatalog(Silo);
        var (deployment, _) = await deployments.UpsertAsync(new Deployment { Id = Guid.Empty, Name = "watched", FlowId = flow.Id }, default);
        var automation = await Automations.CreateAsync(ParseAutomation($$"""
            {"name": "no completion", "trigger": {"posture": "Proactive", "after": ["prefect.flow-run.Running"], "expect": ["prefect.flow-run.Completed"],
             "match_related": {"prefect.resource.id": "prefect.deployment.{{deployment.Id}}"}, "for_each": ["prefect.resource.id"], "within": 30},
             "actions": [{"type": "do-nothing"}]}
            """), default);
        var (run, _) = (await deployments.CreateFlowRunAsync(deployment.Id, new DeploymentRunRequest { Name = "watched-run" }, default))!.Value;
        foreach (var type in new[] { Grains.States.StateType.Pending, Grains.States.StateType.Running })
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            await Silo.FlowRun(run.Id).SetStateAsync(Proposed(type), force: false);
        }

        await dispatcher.DrainAsync();
        var grain = Silo.Grains.GetGrain<IAutomationGrain>(automation.Id);
        Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await grain.TickAsync());
        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await grain.TickAsync());
        Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await grain.TickAsync());
        var firing = Assert.Single(await Automations.FiringsAsync(automation.Id, 10, 0, default));
        Assert.Equal($"prefect.flow-run.{run.Id}", firing.TriggeringLabels["prefect.resource.id"]);
        Assert.Equal("prefect.flow-run.Running", firing.TriggeringEvent!.Name);
    }

    [Fact]
    public async Task AutomationGrain_PauseAutomationOfItself_DisablesItAfterTheFirstFiring()
    {
        var automation = await Automations.CreateAsync(ParseAutomation(OnFailure()), default);
        Assert.True(await Automations.ReplaceAsync(automation.Id, ParseAutomation(OnFailure($$"""[{"type": "pause-automation", "source": "selected", "automation_id": "{{automation.Id}}"}]""")), default));
        var grain = Silo.Grains.GetGrain<IAutomationGrain>(automation.Id);
        Assert.Equal(1, await grain.ReceiveAsync([RunEvent("Failed", Guid.NewGuid())]));
        Assert.Equal(0, await grain.ReceiveAsync([RunEvent("Failed", Guid.NewGuid())]));
        Assert.False((await Automations.GetAsync(automation.Id, default))!.Enabled);
        Assert.Equal("completed", Assert.Single(await Automations.FiringsAsync(automation.Id, 10, 0, default)).Status);

        // Enabled again through the catalog, it fires again.
        Assert.True(await Automations.SetEnabledAsync(automation.Id, true, default));
        Assert.Equal(1, await grain.ReceiveAsync([RunEvent("Failed", Guid.NewGuid())]));
    }

    /// <summary>Stands in for the event store: events numbered in the order added, or at the seq given (to make the gaps
    /// PostgreSQL makes when a transaction that took a lower seq commits later).</summary>
    private sealed class ListEventSource : IAutomationEventSource
    {
        private readonly SortedList<long, Event> _events = [];

        public void Add(Event e, long? seq = null) => _events.Add(seq ?? (_events.Count == 0 ? 1 : _events.Keys[^1] + 1), e);

        public Task<IReadOnlyList<(long Seq, Event Event)>> ReadAfterAsync(long seq, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<(long Seq, Event Event)>>([.. _events.Where(p => p.Key > seq).Take(limit).Select(p => (p.Key, p.Value))]);

        public Task<IReadOnlyList<(long Seq, Event Event)>> ReadSeqsAsync(IReadOnlyList<long> seqs, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<(long Seq, Event Event)>>([.. _events.Where(p => seqs.Contains(p.Key)).Select(p => (p.Key, p.Value))]);

        public Task<long> LastSeqAsync(CancellationToken cancellationToken) => Task.FromResult(_events.Count == 0 ? 0 : _events.Keys[^1]);
    }
}
