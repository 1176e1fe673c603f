using OrleansFlow.Grains.Events;
using OrleansFlow.Silo.FlowRunNotifications;

namespace OrleansFlow.Silo.Tests.Conformance;

public abstract partial class StoreConformance
{
    private FlowRunNotificationPolicy Policy(bool active, string[] states, string[] tags) =>
        new() { Id = Guid.Empty, IsActive = active, StateNames = states, Tags = tags, BlockDocumentId = Guid.NewGuid(), MessageTemplate = "{flow_run_name}" };

    private Event StateEvent(string state, Guid runId, params string[] tags) => new()
    {
        Id = Silo.NewId(),
        Occurred = Clock.GetUtcNow(),
        Name = $"prefect.flow-run.{state}",
        Resource = Resource.Of($"prefect.flow-run.{runId}", ("prefect.state-name", state)),
        Related = [.. tags.Select(t => Resource.Related($"prefect.tag.{t}", "tag"))],
        Received = Clock.GetUtcNow(),
    };

    [Fact]
    public async Task FlowRunNotificationPolicies_CreateFilterUpdateDelete_RoundTrip()
    {
        var catalog = new FlowRunNotificationCatalog(Silo);
        var active = await catalog.CreateAsync(Policy(true, ["Failed"], ["prod"]), default);
        var paused = await catalog.CreateAsync(Policy(false, [], []), default);

        var read = await catalog.GetAsync(active.Id, default);
        Assert.NotNull(read);
        Assert.Equal(["Failed"], read.StateNames);
        Assert.Equal(["prod"], read.Tags);
        Assert.Equal(active.BlockDocumentId, read.BlockDocumentId);
        Assert.Equal("{flow_run_name}", read.MessageTemplate);
        Assert.Equal(Clock.GetUtcNow(), read.Created);
        Assert.Contains(active.Id, (await catalog.FilterAsync(true, 200, 0, default)).Select(p => p.Id));
        Assert.DoesNotContain(paused.Id, (await catalog.FilterAsync(true, 200, 0, default)).Select(p => p.Id));
        Assert.Contains(paused.Id, (await catalog.FilterAsync(false, 200, 0, default)).Select(p => p.Id));
        Assert.Equal(2, (await catalog.FilterAsync(null, 200, 0, default)).Count(p => p.Id == active.Id || p.Id == paused.Id));

        Clock.Advance(TimeSpan.FromSeconds(3));
        var updated = await catalog.UpdateAsync(active.Id, p => p with { IsActive = false, Tags = ["prod", "ops"], MessageTemplate = null }, default);
        Assert.NotNull(updated);
        var reread = (await catalog.GetAsync(active.Id, default))!;
        Assert.False(reread.IsActive);
        Assert.Equal(["prod", "ops"], reread.Tags);
        Assert.Null(reread.MessageTemplate);
        Assert.Equal(Clock.GetUtcNow(), reread.Updated);
        Assert.Equal(read.Created, reread.Created);

        Assert.True(await catalog.DeleteAsync(active.Id, default));
        Assert.False(await catalog.DeleteAsync(active.Id, default));
        Assert.Null(await catalog.GetAsync(active.Id, default));
        Assert.Null(await catalog.UpdateAsync(active.Id, p => p, default));
    }

    [Fact]
    public async Task FlowRunNotificationQueue_QueuesOnePerMatchingActivePolicyAndState_AndAnEventReadTwiceOnce()
    {
        var catalog = new FlowRunNotificationCatalog(Silo);
        var onProdFailure = await catalog.CreateAsync(Policy(true, ["Failed"], ["prod", "ops"]), default);
        var onEverything = await catalog.CreateAsync(Policy(true, [], []), default);
        await catalog.CreateAsync(Policy(false, [], []), default);
        var queue = new FlowRunNotificationQueue(Silo);
        var policies = (await queue.ActivePoliciesAsync(default)).Where(p => p.Id == onProdFailure.Id || p.Id == onEverything.Id).ToList();
        var events = new List<Event>
        {
            StateEvent("Failed", Guid.NewGuid(), "prod", "nightly"), // both
            StateEvent("Failed", Guid.NewGuid(), "dev"),             // every-state policy only
            StateEvent("Completed", Guid.NewGuid(), "ops"),          // every-state policy only
            new() { Id = Silo.NewId(), Name = "prefect.deployment.ready", Resource = Resource.Of($"prefect.deployment.{Guid.NewGuid()}"), Occurred = Clock.GetUtcNow() },
        };

        Assert.Equal(2, policies.Count);
        Assert.Equal(4, await queue.EnqueueAsync(policies, events, default));
        Assert.Equal(0, await queue.EnqueueAsync(policies, events, default));
    }
}
