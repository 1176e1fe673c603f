using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Conformance;
using OrleansFlow.Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrleansFlow.Gateway.Tests.Hardening;

/// <summary>20,000 generated bad requests over every operation of Prefect's OpenAPI schema, seeded, on each database:
/// none may be answered 5xx or drop the connection. Afterwards the server still answers health, runs a flow run
/// through its states, and schedules a healthy deployment.</summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Requests = 20_000;
    private const int Workers = 8;
    private const int Seed = 20261203;

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task TwentyThousandBadRequests_NoServerErrorNoDroppedConnection_AndTheServerStillWorks(DatabaseKind kind)
    {
        await using var server = await OwnServer.StartAsync(kind);
        var api = server.Api;
        var seed = await ConformanceSeed.CreateAsync(api);
        var contract = OpenApiContract.Load();
        var statuses = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        var next = -1;
        var operations = 0;

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var requests = new FuzzRequests(contract, seed, Seed + worker);
            operations = requests.OperationCount;
            int index;
            while ((index = Interlocked.Increment(ref next)) < Requests)
            {
                var request = requests.Next(index);
                try
                {
                    using var message = request.ToMessage();
                    using var answer = await api.Client.SendAsync(message);
                    var code = (int)answer.StatusCode;
                    statuses.AddOrUpdate(code, 1, (_, n) => n + 1);
                    if (code >= 500)
                    {
                        var text = await answer.Content.ReadAsStringAsync();
                        failures.Enqueue($"{code} for {request}\n    {(text.Length > 300 ? text[..300] : text)}");
                    }
                }
                catch (HttpRequestException ex)
                {
                    statuses.AddOrUpdate(0, 1, (_, n) => n + 1);
                    failures.Enqueue($"connection failed ({ex.HttpRequestError}) for {request}");
                }
            }
        })));

        output.WriteLine($"{kind}: {Requests} bad requests over {operations} operations (seed {Seed}); answers: " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "dropped" : s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))} x{s.Value}")));
        Assert.True(failures.IsEmpty, $"{failures.Count} requests failed:\n" + string.Join("\n", failures.Take(40)));

        // The server still works: health, a flow run through its states, and a scheduler tick for a healthy deployment.
        (await api.GetAsync("health")).Expect(HttpStatusCode.OK);
        var flowId = await api.CreateFlowAsync("after-fuzz-" + Guid.NewGuid().ToString("N")[..8]);
        var run = PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId));
        await api.AcceptStateAsync("flow_runs", run, "RUNNING");
        await api.AcceptStateAsync("flow_runs", run, "COMPLETED");
        var deployment = (await api.PostAsync("deployments/", JsonNode.Parse($$$"""
            {"name": "after-fuzz", "flow_id": "{{{flowId}}}", "schedule": {"interval": 3600}}
            """))).Expect(HttpStatusCode.Created).Id;
        Assert.True(await server.Silo.Deployment(deployment).HasReminderAsync(), "a healthy deployment got no schedule reminder after the fuzzing");
        Assert.True(await api.CountAsync("flow_runs", new { deployments = new { id = new { any_ = new[] { deployment } } } }) > 0,
            "the scheduler made no run for a healthy deployment after the fuzzing");
    }
}
