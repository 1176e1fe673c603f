using System.Globalization;
using System.Net;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Compatibility;

/// <summary>Routes a Prefect 2.11–2.20 client calls that 2.10 did not: <c>POST /deployments/get_scheduled_flow_runs</c>
/// (the runner of <c>flow.serve</c>, 2.14+) and <c>GET /csrf-token</c> (2.13+).</summary>
public sealed class LaterPrefectRoutesTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task DeploymentsGetScheduledFlowRuns_AsTheRunnerPolls_ReturnsDueScheduledRunsSoonestFirst(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync("served-" + Guid.NewGuid().ToString("N")[..8]);
        var served = (await api.PostAsync("deployments/", new { name = "served", flow_id = flowId })).Expect(HttpStatusCode.Created).Id;
        var other = (await api.PostAsync("deployments/", new { name = "other", flow_id = flowId })).Expect(HttpStatusCode.Created).Id;
        var now = DateTimeOffset.UtcNow;
        async Task<Guid> ScheduleAsync(Guid deployment, DateTimeOffset at) => (await api.PostAsync($"deployments/{deployment}/create_flow_run", new
        {
            state = new { type = "SCHEDULED", state_details = new { scheduled_time = at.ToString("O", CultureInfo.InvariantCulture) } },
        })).Expect(HttpStatusCode.Created).Id;
        var later = await ScheduleAsync(served, now.AddMinutes(-1));
        var sooner = await ScheduleAsync(served, now.AddMinutes(-5));
        var future = await ScheduleAsync(served, now.AddHours(2));
        await ScheduleAsync(other, now.AddMinutes(-3));
        var started = await ScheduleAsync(served, now.AddMinutes(-4));
        (await api.SetStateAsync("flow_runs", started, "PENDING")).Expect(HttpStatusCode.Created);

        // The 2.20 runner's body: deployment ids, scheduled_before = now + prefetch, limit.
        var due = (await api.PostAsync("deployments/get_scheduled_flow_runs", $$"""
            {"deployment_ids": ["{{served}}"], "scheduled_before": "{{now.AddSeconds(10).ToString("O", CultureInfo.InvariantCulture)}}", "limit": 200}
            """)).Expect(HttpStatusCode.OK).Array;
        var all = (await api.PostAsync("deployments/get_scheduled_flow_runs", new { deployment_ids = new[] { served } })).Expect(HttpStatusCode.OK).Array;
        var one = (await api.PostAsync("deployments/get_scheduled_flow_runs", new { deployment_ids = new[] { served, other }, limit = 1 })).Expect(HttpStatusCode.OK).Array;
        var missing = (await api.PostAsync("deployments/get_scheduled_flow_runs", new { scheduled_before = now })).Expect(HttpStatusCode.UnprocessableEntity);

        Assert.Equal([sooner, later], due.Select(r => PrefectApi.IdOf(r!)));
        Assert.All(due, run => Assert.Equal("SCHEDULED", run!["state"]!["type"]!.GetValue<string>()));
        Assert.Equal([sooner, later, future], all.Select(r => PrefectApi.IdOf(r!)));
        Assert.Equal([sooner], one.Select(r => PrefectApi.IdOf(r!)));
        Assert.Contains("body.deployment_ids", missing.ErrorLocations);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Deployment_JobVariablesOf216Clients_StoredAsInfraOverridesAndAnsweredUnderBothNames(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync("job-vars-" + Guid.NewGuid().ToString("N")[..8]);

        // A 2.20 client's create body carries job_variables (and fields this server ignores, e.g. enforce_parameter_schema).
        var id = (await api.PostAsync("deployments/", new Dictionary<string, object?>
        {
            ["name"] = "jv",
            ["flow_id"] = flowId,
            ["job_variables"] = new { image = "python:3.12" },
            ["enforce_parameter_schema"] = false,
            ["schedules"] = Array.Empty<object>(),
            ["pull_steps"] = new[] { new Dictionary<string, object> { ["prefect.deployments.steps.set_working_directory"] = new { directory = "/opt" } } },
        })).Expect(HttpStatusCode.Created).Id;
        (await api.PatchAsync($"deployments/{id}", new { job_variables = new { image = "python:3.11", env = new { A = "1" } } })).Expect(HttpStatusCode.NoContent);
        var deployment = (await api.GetAsync($"deployments/{id}")).Expect(HttpStatusCode.OK).Object;

        Assert.Equal("""{"image":"python:3.11","env":{"A":"1"}}""", deployment["job_variables"]!.ToJsonString());
        Assert.Equal(deployment["job_variables"]!.ToJsonString(), deployment["infra_overrides"]!.ToJsonString());
        Assert.Equal("/opt", deployment["pull_steps"]![0]!["prefect.deployments.steps.set_working_directory"]!["directory"]!.GetValue<string>());
    }

    [Fact]
    public async Task CsrfToken_CsrfProtectionOff_Answers422AsPrefectDoesSoTheClientStopsAsking()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);

        var answer = (await api.GetAsync("csrf-token?client=" + Guid.NewGuid())).Expect(HttpStatusCode.UnprocessableEntity);
        var noClient = (await api.GetAsync("csrf-token")).Expect(HttpStatusCode.UnprocessableEntity);

        // The 2.20 client looks for exactly this text to turn its CSRF support off.
        Assert.Contains("CSRF protection is disabled.", answer.Text, StringComparison.Ordinal);
        Assert.Contains("query.client", noClient.ErrorLocations);
    }
}
