using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Contract;

/// <summary>The acceptance contract (DESIGN §3): each recorded Prefect 2.10.11 scenario, replayed against a real
/// OrleansFlow server over HTTP on each database, gets the same statuses, decisions, states and fields.</summary>
/// <remarks>09 (work pool + worker), 10 (cancellation) and 17 (agent + work queue) replay the server's side of the
/// worker's or agent's traffic: the client, the worker and the flow process all talk to the one server.</remarks>
public sealed class ContractReplayTests
{
    private static readonly string[] ScenarioNames =
    [
        "01-etl-three-tasks",
        "02-task-retries",
        "03-task-caching",
        "04-subflow",
        "05-map-and-wait-for",
        "06-tag-concurrency-limit",
        "07-failing-flow",
        "08-logs-and-artifacts",
        "09-deployment-worker",
        "10-cancellation",
        "11-pause-resume",
        "12-async-flow",
        "13-flow-retries-and-hooks",
        "14-task-timeout",
        "15-blocks-and-variables",
        "16-result-persistence",
        "17-agent-work-queue",
    ];

    public static TheoryData<string, DatabaseKind> Cases()
    {
        var cases = new TheoryData<string, DatabaseKind>();
        foreach (var database in Enum.GetValues<DatabaseKind>())
        {
            foreach (var name in ScenarioNames)
            {
                cases.Add(name, database);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Replay_RecordedScenario_MatchesRecordedContract(string scenarioName, DatabaseKind database)
    {
        var scenario = Scenario.Load(scenarioName);
        // 06 waits for a tag slot: 1 s instead of Prefect's 30 s keeps the test fast; the decision is the same.
        await using var server = await TestServer.StartAsync(database, options => options.Silo.TagConcurrencySlotWaitSeconds = 1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var differences = await new ScenarioReplayer(scenario, server.Client).ReplayAsync(timeout.Token);

        Assert.True(differences.Count == 0,
            $"Scenario {scenario.Name} on {database}: {differences.Count} of {scenario.Exchanges.Count} exchanges differ from the recording "
            + $"(first: seq {differences.FirstOrDefault()?.Recorded.Seq}):\n"
            + string.Join("\n", differences.Select(d => d.Describe())));
    }
}
