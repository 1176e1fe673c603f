using System.Text.Json.Nodes;

namespace OrleansFlow.Gateway.Tests.Contract;

/// <summary>The replay's own parts: a contract check that cannot fail proves nothing.</summary>
public sealed class ReplayEngineTests
{
    private const string RecordedRun = """
        {"id": "1e35f82a-dc5a-469a-b978-fea93520fbc9", "flow_id": "7880b43f-fcf8-4473-b195-d658ebf4bdfc", "state_type": "RUNNING",
         "state_name": "Retrying", "run_count": 2, "tags": ["a"], "empirical_policy": {"retries": 3, "retry_delay": 1},
         "state": {"id": "05036250-c4f6-457a-9a62-9a50c4116550", "type": "RUNNING", "name": "Retrying", "state_details": {"pause_key": null}}}
        """;

    [Fact]
    public void Compare_SameShapeOtherIdsAndTimes_FindsNothing()
    {
        var live = Live(RecordedRun.Replace("1e35f82a", "99999999", StringComparison.Ordinal));
        live["extra_field"] = 1;

        Assert.Empty(ContractCheck.Compare(Exchange("GET", "/api/task_runs/x", 200, RecordedRun), 200, live));
    }

    [Fact]
    public void Compare_DifferentStatusStateNameAndRunCount_ReportsEach()
    {
        var live = Live(RecordedRun);
        live["state_name"] = "AwaitingRetry";
        live["run_count"] = 1;

        var problems = ContractCheck.Compare(Exchange("GET", "/api/task_runs/x", 200, RecordedRun), 201, live);

        Assert.Equal(["status: expected 200, got 201", "state_name: expected Retrying, got AwaitingRetry", "run_count: expected 2, got 1"], problems);
    }

    [Fact]
    public void Compare_NestedFieldMissingOrListShorter_ReportsThePath()
    {
        var live = Live(RecordedRun);
        live["state"]!["state_details"]!.AsObject().Remove("pause_key");
        live["tags"] = new JsonArray();
        live["empirical_policy"] = null;

        var problems = ContractCheck.Compare(Exchange("GET", "/api/task_runs/x", 200, RecordedRun), 200, live);

        Assert.Contains("$.state.state_details.pause_key: missing", problems);
        Assert.Contains("$.tags: expected 1 items, got 0", problems);
        Assert.Contains("$.empirical_policy: expected an object, got null", problems);
    }

    [Fact]
    public void Compare_OrchestrationResult_ChecksDecisionStateAndReason()
    {
        const string Recorded = """
            {"status": "REJECT", "state": {"type": "SCHEDULED", "name": "AwaitingRetry"}, "details": {"type": "reject_details", "reason": "Retrying"}}
            """;
        var live = Live("""
            {"status": "ACCEPT", "state": {"type": "FAILED", "name": "Failed"}, "details": {"type": "accept_details", "reason": null}}
            """);

        var problems = ContractCheck.Compare(Exchange("POST", "/api/task_runs/x/set_state", 201, Recorded), 201, live);

        Assert.Equal(
            ["status: expected REJECT, got ACCEPT", "state.type: expected SCHEDULED, got FAILED", "state.name: expected AwaitingRetry, got Failed",
             "details.type: expected reject_details, got accept_details", "details.reason: expected Retrying, got null"],
            problems);
    }

    [Fact]
    public void Compare_TopLevelScalar_MustBeEqual()
    {
        var problems = ContractCheck.Compare(Exchange("GET", "/api/health", 200, "true"), 200, JsonValue.Create(false));

        Assert.Equal(["$: expected true, got false"], problems);
    }

    [Fact]
    public void IdMap_LearnNestedIds_RewritesPathsQueriesAndBodies()
    {
        var ids = new IdMap();
        var liveRun = Guid.NewGuid();
        var liveState = Guid.NewGuid();
        var liveFlow = Guid.NewGuid();
        ids.Learn(JsonNode.Parse(RecordedRun), Live($$$"""
            {"id": "{{{liveRun}}}", "flow_id": "{{{liveFlow}}}", "state": {"id": "{{{liveState}}}"}}
            """));

        Assert.Equal(3, ids.Count);
        Assert.Equal($"/api/flow_runs/{liveRun}/set_state", ids.Rewrite("/api/flow_runs/1e35f82a-dc5a-469a-b978-fea93520fbc9/set_state"));
        Assert.Equal($$"""{"flow_id":"{{liveFlow}}","other":"4a4a4a4a-0000-0000-0000-000000000000"}""",
            ids.Rewrite("""{"flow_id":"7880B43F-FCF8-4473-B195-D658EBF4BDFC","other":"4a4a4a4a-0000-0000-0000-000000000000"}"""));
    }

    [Fact]
    public void IdMap_IdSeenAgainWithAnotherLiveValue_KeepsTheFirstMapping()
    {
        var ids = new IdMap();
        var first = Guid.NewGuid();
        var recorded = JsonNode.Parse("""{"flow_id": "7880b43f-fcf8-4473-b195-d658ebf4bdfc"}""");

        ids.Learn(recorded, Live($$"""{"flow_id": "{{first}}"}"""));
        ids.Learn(recorded, Live($$"""{"flow_id": "{{Guid.NewGuid()}}"}"""));

        Assert.Equal(first, ids.Live(Guid.Parse("7880b43f-fcf8-4473-b195-d658ebf4bdfc")));
    }

    [Fact]
    public void Shift_RequestTimes_MovesEveryDateTimeAndNothingElse()
    {
        var body = JsonNode.Parse("""
            {"state": {"state_details": {"pause_timeout": "2026-11-21T23:59:40.967862+00:00", "pause_key": "1"}},
             "logs": [{"timestamp": "2026-11-21T23:00:00Z", "message": "2026-11-21 is not a time"}]}
            """);

        var shifted = RecordedClock.Shift(body, TimeSpan.FromHours(2))!;

        Assert.Equal("2026-11-22T01:59:40.967862+00:00", shifted["state"]!["state_details"]!["pause_timeout"]!.GetValue<string>());
        Assert.Equal("2026-11-22T01:00:00.000000+00:00", shifted["logs"]![0]!["timestamp"]!.GetValue<string>());
        Assert.Equal("1", shifted["state"]!["state_details"]!["pause_key"]!.GetValue<string>());
        Assert.Equal("2026-11-21 is not a time", shifted["logs"]![0]!["message"]!.GetValue<string>());
        Assert.Equal("2026-11-21T23:59:40.967862+00:00", body!["state"]!["state_details"]!["pause_timeout"]!.GetValue<string>());
    }

    [Fact]
    public void Load_EveryReplayedScenario_IsInAnswerOrderWithoutUsingAnIdBeforeItIsKnown()
    {
        foreach (var name in new[] { "05-map-and-wait-for", "06-tag-concurrency-limit", "12-async-flow" })
        {
            var scenario = Scenario.Load(name);
            var known = new HashSet<string>();
            foreach (var exchange in scenario.Exchanges.OrderBy(e => e.EndMs).ThenBy(e => e.Seq))
            {
                var request = exchange.Path + exchange.Query + exchange.Request?.ToJsonString();
                foreach (System.Text.RegularExpressions.Match id in System.Text.RegularExpressions.Regex.Matches(request, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
                {
                    Assert.True(known.Contains(id.Value), $"{name} {exchange} uses {id.Value} before an answer named it");
                }

                foreach (System.Text.RegularExpressions.Match id in System.Text.RegularExpressions.Regex.Matches(exchange.Response?.ToJsonString() ?? "", "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
                {
                    known.Add(id.Value);
                }
            }
        }
    }

    private static RecordedExchange Exchange(string method, string path, int status, string response) =>
        new(1, method, path, "", null, status, JsonNode.Parse(response), 0, 1);

    private static JsonObject Live(string json) => JsonNode.Parse(json)!.AsObject();
}
