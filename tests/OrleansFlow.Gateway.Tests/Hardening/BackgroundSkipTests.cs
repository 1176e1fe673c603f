using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OrleansFlow.Silo.Deployments;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Testing;

namespace OrleansFlow.Gateway.Tests.Hardening;

/// <summary>A background tick never stops on one bad object: a row the API could never have written (put straight into the
/// database) is skipped, and the healthy objects beside it are handled in the same tick.</summary>
public sealed class BackgroundSkipTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Scheduler_OneDeploymentRowBroken_SchedulesTheHealthyOne(DatabaseKind kind)
    {
        var clock = new ManualClock(Start);
        await using var server = await OwnServer.StartAsync(kind, clock, options => options.Silo.SchedulePeriod = TimeSpan.FromSeconds(1));
        var api = server.Api;
        var flowId = await api.CreateFlowAsync("scheduled");
        var healthy = await CreateDeploymentAsync(api, flowId, "healthy");
        var broken = await CreateDeploymentAsync(api, flowId, "broken");
        await OverwriteDataAsync(server.Silo, "deployments", broken);
        var before = await CountRunsAsync(api, healthy);

        // The reminders fire every second: the broken deployment's tick fails (and is logged), the healthy one's makes
        // the runs of the day that passed.
        clock.Advance(TimeSpan.FromDays(1));
        await Poll.UntilAsync(async () => await CountRunsAsync(api, healthy) > before, TimeSpan.FromSeconds(60), "the healthy deployment's reminder to make runs");

        // A silo starting over the broken row gives the others their reminders and skips it.
        var bootstrap = server.Inner.App.Services.GetRequiredService<DeploymentReminderBootstrap>();
        Assert.Equal(1, await bootstrap.RefreshAllAsync(CancellationToken.None));
        Assert.True(await server.Silo.Deployment(healthy).HasReminderAsync());

        // And the reminders go on.
        var after = await CountRunsAsync(api, healthy);
        clock.Advance(TimeSpan.FromDays(1));
        await Poll.UntilAsync(async () => await CountRunsAsync(api, healthy) > after, TimeSpan.FromSeconds(60), "the healthy deployment's reminder to make more runs");
    }

    private static Task<long> CountRunsAsync(PrefectApi api, Guid deployment) =>
        api.CountAsync("flow_runs", new { deployments = new { id = new { any_ = new[] { deployment } } } });

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task LateRuns_OneFlowRunRowBroken_MarksTheHealthyOneLate(DatabaseKind kind)
    {
        var clock = new ManualClock(Start);
        await using var server = await OwnServer.StartAsync(kind, clock);
        var api = server.Api;
        var flowId = await api.CreateFlowAsync("late");
        var broken = await CreateScheduledRunAsync(api, flowId, Start);
        var healthy = await CreateScheduledRunAsync(api, flowId, Start);
        await OverwriteDataAsync(server.Silo, "flow_runs", broken);

        clock.Advance(TimeSpan.FromMinutes(5));
        var marked = await server.Silo.Housekeeper.SweepAsync();

        Assert.Equal(1, marked);
        Assert.Equal("Late", (await api.GetAsync($"flow_runs/{healthy}")).Expect(HttpStatusCode.OK).Object["state_name"]!.GetValue<string>());
    }

    private static async Task<Guid> CreateScheduledRunAsync(PrefectApi api, Guid flowId, DateTimeOffset due) =>
        (await api.PostAsync("flow_runs/", new { flow_id = flowId, state = new { type = "SCHEDULED", state_details = new { scheduled_time = due } } }))
            .Expect(HttpStatusCode.Created).Id;

    private static async Task<Guid> CreateDeploymentAsync(PrefectApi api, Guid flowId, string name) =>
        (await api.PostAsync("deployments/", JsonNode.Parse($$$"""
            {"name": "{{{name}}}", "flow_id": "{{{flowId}}}", "schedule": {"interval": 3600, "anchor_date": "2026-01-01T00:00:00Z"}}
            """))).Expect(HttpStatusCode.Created).Id;

    /// <summary>Replaces the row's JSON record with a document no reader can turn into the object: what a bug, a manual
    /// edit or an older version could leave behind.</summary>
    private static async Task OverwriteDataAsync(OrleansFlowSilo silo, string table, Guid id)
    {
        var written = await silo.Database.WriteAsync(async session =>
        {
            await using var command = session.Text($"UPDATE {table} SET data = '[1, 2, 3]' WHERE id = @id").Add("id", id);
            return await command.ExecuteAsync(CancellationToken.None);
        }, CancellationToken.None);
        Assert.Equal(1, written);
    }
}
