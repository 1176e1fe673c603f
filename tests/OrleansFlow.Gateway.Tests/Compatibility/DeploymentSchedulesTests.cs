using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Compatibility;

/// <summary>Prefect 2.16+'s schedules of a deployment (<c>schedules</c> on create and update,
/// <c>/deployments/{id}/schedules</c>), 2.18's <c>paused</c>, <c>pause_deployment</c> and <c>resume_deployment</c>, and
/// <c>enforce_parameter_schema</c>, with the bodies a 2.20 client sends.</summary>
public sealed class DeploymentSchedulesTests(ServerPool servers) : IClassFixture<ServerPool>
{
    private static JsonObject Entry(int seconds, bool active, int minute = 0) => new()
    {
        ["schedule"] = new JsonObject { ["interval"] = seconds, ["anchor_date"] = $"2026-01-01T00:{minute:00}:00+00:00", ["timezone"] = "UTC" },
        ["active"] = active,
        ["max_active_runs"] = null,
        ["max_scheduled_runs"] = null,
        ["catchup"] = false,
    };

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Schedules_CreateReadAddPatchDelete_AsPrefectAnswers(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync("schedules-" + Guid.NewGuid().ToString("N")[..8]);
        var created = (await api.PostAsync("deployments/", new JsonObject
        {
            ["name"] = "many",
            ["flow_id"] = flowId.ToString(),
            ["schedules"] = new JsonArray(Entry(3600, true), Entry(86400, false)),
            ["paused"] = false,
            ["enforce_parameter_schema"] = false,
        }.ToJsonString())).Expect(HttpStatusCode.Created).Object;
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        var listed = (await api.GetAsync($"deployments/{id}/schedules")).Expect(HttpStatusCode.OK).Array;
        var inactiveId = listed.Single(s => !s!["active"]!.GetValue<bool>())!["id"]!.GetValue<string>();
        var hourlyId = listed.Single(s => s!["active"]!.GetValue<bool>())!["id"]!.GetValue<string>();

        // The 2.20 client's create_deployment_schedules body: the list itself.
        var added = (await api.PostAsync($"deployments/{id}/schedules", new JsonArray(Entry(1800, true, minute: 10)).ToJsonString()))
            .Expect(HttpStatusCode.Created).Array;
        (await api.PatchAsync($"deployments/{id}/schedules/{inactiveId}", new { active = true })).Expect(HttpStatusCode.NoContent);
        (await api.DeleteAsync($"deployments/{id}/schedules/{hourlyId}")).Expect(HttpStatusCode.NoContent);
        var unknownSchedule = await api.DeleteAsync($"deployments/{id}/schedules/{Guid.NewGuid()}");
        var unknownDeployment = await api.GetAsync($"deployments/{Guid.NewGuid()}/schedules");
        var badEntry = (await api.PostAsync($"deployments/{id}/schedules", """[{"active": true}]""")).Expect(HttpStatusCode.UnprocessableEntity);
        var deployment = (await api.GetAsync($"deployments/{id}")).Expect(HttpStatusCode.OK).Object;

        Assert.Equal(2, created["schedules"]!.AsArray().Count);
        Assert.All(created["schedules"]!.AsArray(), s => Assert.Equal(id.ToString(), s!["deployment_id"]!.GetValue<string>()));
        Assert.False(created["paused"]!.GetValue<bool>());
        Assert.False(created["enforce_parameter_schema"]!.GetValue<bool>());
        Assert.Equal(3600, created["schedule"]!["interval"]!.GetValue<double>());
        Assert.Equal(2, listed.Count);
        Assert.Equal(1800, added.Single()!["schedule"]!["interval"]!.GetValue<double>());
        Assert.Equal(id.ToString(), added.Single()!["deployment_id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, unknownSchedule.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknownDeployment.Status);
        Assert.Contains("body.0.schedule", badEntry.ErrorLocations);
        var schedules = deployment["schedules"]!.AsArray();
        Assert.Equal([86400.0, 1800.0], schedules.Select(s => s!["schedule"]!["interval"]!.GetValue<double>()).Order().Reverse());
        Assert.All(schedules, s => Assert.True(s!["active"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Schedules_TwoActive_RunsComeFromBoth(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync("two-schedules-" + Guid.NewGuid().ToString("N")[..8]);
        var id = (await api.PostAsync("deployments/", new JsonObject
        {
            ["name"] = "two",
            ["flow_id"] = flowId.ToString(),
            ["schedules"] = new JsonArray(Entry(3600, true), Entry(3600, true, minute: 30), Entry(3600, false, minute: 45)),
        }.ToJsonString())).Expect(HttpStatusCode.Created).Id;

        var runs = (await api.PostAsync("flow_runs/filter", new { deployments = new { id = new { any_ = new[] { id } } } })).Expect(HttpStatusCode.OK).Array;
        var minutes = runs.Select(r => r!["expected_start_time"]!.GetValue<DateTimeOffset>().Minute).ToHashSet();

        Assert.Equal([0, 30], minutes.Order());
        Assert.All(runs, r => Assert.Equal("auto-scheduled", r!["tags"]![0]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task PauseResume_OneSchedule_DeletesAndRemakesRunsAndTwoSchedulesAre422(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync("pause-" + Guid.NewGuid().ToString("N")[..8]);
        var id = (await api.PostAsync("deployments/", new JsonObject
        {
            ["name"] = "one",
            ["flow_id"] = flowId.ToString(),
            ["schedules"] = new JsonArray(Entry(3600, true)),
        }.ToJsonString())).Expect(HttpStatusCode.Created).Id;
        var two = (await api.PostAsync("deployments/", new JsonObject
        {
            ["name"] = "two",
            ["flow_id"] = flowId.ToString(),
            ["schedules"] = new JsonArray(Entry(3600, true), Entry(7200, true)),
        }.ToJsonString())).Expect(HttpStatusCode.Created).Id;
        var ofOne = new { deployments = new { id = new { any_ = new[] { id } } }, flow_runs = new { state = new { type = new { any_ = new[] { "SCHEDULED" } } } } };
        var before = await api.CountAsync("flow_runs", ofOne);

        (await api.PostAsync($"deployments/{id}/pause_deployment")).Expect(HttpStatusCode.OK);
        var paused = (await api.GetAsync($"deployments/{id}")).Expect(HttpStatusCode.OK).Object;
        var whilePaused = await api.CountAsync("flow_runs", ofOne);
        var pausedByFilter = await api.CountAsync("deployments", new { deployments = new { id = new { any_ = new[] { id, two } }, paused = new { eq_ = true } } });
        (await api.PostAsync($"deployments/{id}/resume_deployment")).Expect(HttpStatusCode.OK);
        var resumed = (await api.GetAsync($"deployments/{id}")).Expect(HttpStatusCode.OK).Object;
        var after = await api.CountAsync("flow_runs", ofOne);
        var several = (await api.PostAsync($"deployments/{two}/pause_deployment")).Expect(HttpStatusCode.UnprocessableEntity);
        var legacyPatch = (await api.PatchAsync($"deployments/{two}", new { is_schedule_active = false })).Expect(HttpStatusCode.UnprocessableEntity);
        (await api.PatchAsync($"deployments/{two}", new { paused = true })).Expect(HttpStatusCode.NoContent);
        var twoPaused = (await api.GetAsync($"deployments/{two}")).Expect(HttpStatusCode.OK).Object;
        var missing = await api.PostAsync($"deployments/{Guid.NewGuid()}/pause_deployment");

        Assert.True(before > 0);
        Assert.True(paused["paused"]!.GetValue<bool>());
        Assert.False(paused["is_schedule_active"]!.GetValue<bool>());
        Assert.False(paused["schedules"]![0]!["active"]!.GetValue<bool>());
        Assert.Equal(0, whilePaused);
        Assert.Equal(1, pausedByFilter);
        Assert.False(resumed["paused"]!.GetValue<bool>());
        Assert.True(resumed["schedules"]![0]!["active"]!.GetValue<bool>());
        Assert.Equal(before, after);
        Assert.Contains("body.schedules", several.ErrorLocations);
        Assert.Contains("body.schedules", legacyPatch.ErrorLocations);
        Assert.True(twoPaused["paused"]!.GetValue<bool>());
        Assert.Equal(0, await api.CountAsync("flow_runs", new { deployments = new { id = new { any_ = new[] { two } } } }));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task EnforceParameterSchema_FalseSkipsTheCheckTrueOrAbsentApplyIt(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync("enforce-" + Guid.NewGuid().ToString("N")[..8]);
        var schema = new JsonObject
        {
            ["title"] = "Parameters",
            ["type"] = "object",
            ["properties"] = new JsonObject { ["x"] = new JsonObject { ["title"] = "x", ["type"] = "integer" } },
            ["required"] = new JsonArray("x"),
        };
        async Task<Guid> DeployAsync(string name, bool? enforce)
        {
            var body = new JsonObject { ["name"] = name, ["flow_id"] = flowId.ToString(), ["parameter_openapi_schema"] = schema.DeepClone() };
            if (enforce is { } on)
            {
                body["enforce_parameter_schema"] = on;
            }

            return (await api.PostAsync("deployments/", body.ToJsonString())).Expect(HttpStatusCode.Created).Id;
        }

        var off = await DeployAsync("off", false);
        var on = await DeployAsync("on", true);
        var absent = await DeployAsync("absent", null);
        var bad = new { parameters = new { x = "not a number" } };

        var unchecked_ = await api.PostAsync($"deployments/{off}/create_flow_run", bad);
        var overridden = await api.PostAsync($"deployments/{off}/create_flow_run", new { parameters = new { x = "no" }, enforce_parameter_schema = true });
        var checkedOn = await api.PostAsync($"deployments/{on}/create_flow_run", bad);
        var checkedAbsent = await api.PostAsync($"deployments/{absent}/create_flow_run", bad);
        (await api.PatchAsync($"deployments/{on}", new { enforce_parameter_schema = false })).Expect(HttpStatusCode.NoContent);
        var afterPatch = await api.PostAsync($"deployments/{on}/create_flow_run", bad);
        var shown = (await api.GetAsync($"deployments/{absent}")).Expect(HttpStatusCode.OK).Object;

        Assert.Equal(HttpStatusCode.Created, unchecked_.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, overridden.Status);
        Assert.Contains("body.parameters.x", checkedOn.Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, checkedAbsent.Status);
        Assert.Equal(HttpStatusCode.Created, afterPatch.Status);
        Assert.True(shown["enforce_parameter_schema"]!.GetValue<bool>());
    }
}
