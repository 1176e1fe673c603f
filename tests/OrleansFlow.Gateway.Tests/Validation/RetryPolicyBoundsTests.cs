using System.Net;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Validation;

/// <summary>A flow run's <c>empirical_policy</c> holds a count of retries (0 or more) and a retry delay (0 to 10 years, as a
/// task run's): every body that carries one (create, PATCH, a deployment's create_flow_run) refuses a value out of range
/// with a 422 naming it, and stores nothing. A negative count or delay used to be stored as sent.</summary>
public sealed class RetryPolicyBoundsTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite, "retries", -1)]
    [InlineData(DatabaseKind.Sqlite, "retry_delay", -5)]
    [InlineData(DatabaseKind.Postgres, "retries", -1)]
    [InlineData(DatabaseKind.Postgres, "retry_delay", 315_360_001)]
    public async Task PatchFlowRun_PolicyOutOfRange_Answers422NamingTheFieldAndKeepsThePolicy(DatabaseKind kind, string field, int value)
    {
        var api = await servers.ApiAsync(kind);
        var run = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("patch")), policy: new { retries = 2, retry_delay = 10 }));

        var response = await api.PatchAsync($"flow_runs/{run}", new { empirical_policy = new Dictionary<string, int> { ["retries"] = 1, ["retry_delay"] = 1, [field] = value } });

        Assert.True(response.Status == HttpStatusCode.UnprocessableEntity, $"expected 422, got {response}");
        Assert.Equal([$"body.empirical_policy.{field}"], response.ErrorLocations);
        var policy = (await api.GetAsync($"flow_runs/{run}")).Expect(HttpStatusCode.OK).Object["empirical_policy"]!;
        Assert.Equal(2, policy["retries"]!.GetValue<int>());
        Assert.Equal(10, policy["retry_delay"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task PatchFlowRun_PolicyInRange_IsStored(DatabaseKind kind)
    {
        var api = await servers.ApiAsync(kind);
        var run = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("patch"))));

        (await api.PatchAsync($"flow_runs/{run}", new { empirical_policy = new { retries = 0, retry_delay = 315_360_000 } })).Expect(HttpStatusCode.NoContent);

        var policy = (await api.GetAsync($"flow_runs/{run}")).Expect(HttpStatusCode.OK).Object["empirical_policy"]!;
        Assert.Equal(0, policy["retries"]!.GetValue<int>());
        Assert.Equal(315_360_000, policy["retry_delay"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task CreateFlowRun_NegativeRetries_Answers422AndCreatesNoRun(DatabaseKind kind)
    {
        var api = await servers.ApiAsync(kind);
        var flow = await api.CreateFlowAsync(Unique("create"));
        var filter = new { flows = new { id = new { any_ = new[] { flow } } } };

        var response = await api.PostAsync("flow_runs/", new { flow_id = flow, empirical_policy = new { retries = -3 } });

        Assert.True(response.Status == HttpStatusCode.UnprocessableEntity, $"expected 422, got {response}");
        Assert.Equal(["body.empirical_policy.retries"], response.ErrorLocations);
        Assert.Equal(0, await api.CountAsync("flow_runs", filter));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task CreateFlowRunFromDeployment_NegativeRetryDelay_Answers422AndCreatesNoRun(DatabaseKind kind)
    {
        var api = await servers.ApiAsync(kind);
        var flow = await api.CreateFlowAsync(Unique("deployed"));
        var deployment = PrefectApi.IdOf((await api.PostAsync("deployments/", new { name = "d", flow_id = flow })).Expect(HttpStatusCode.Created).Object);
        var filter = new { flows = new { id = new { any_ = new[] { flow } } } };

        var response = await api.PostAsync($"deployments/{deployment}/create_flow_run", new { empirical_policy = new { retries = 1, retry_delay = -1 } });

        Assert.True(response.Status == HttpStatusCode.UnprocessableEntity, $"expected 422, got {response}");
        Assert.Equal(["body.empirical_policy.retry_delay"], response.ErrorLocations);
        Assert.Equal(0, await api.CountAsync("flow_runs", filter));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task CreateTaskRun_NegativeRetries_Answers422(DatabaseKind kind)
    {
        var api = await servers.ApiAsync(kind);
        var flowRun = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("task"))));

        var response = await api.PostAsync("task_runs/", new { flow_run_id = flowRun, task_key = "t", dynamic_key = "0", empirical_policy = new { retries = -1 } });

        Assert.True(response.Status == HttpStatusCode.UnprocessableEntity, $"expected 422, got {response}");
        Assert.Equal(["body.empirical_policy.retries"], response.ErrorLocations);
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..16];
}
