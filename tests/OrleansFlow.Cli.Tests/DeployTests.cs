using System.Text.Json.Nodes;

namespace OrleansFlow.Cli.Tests;

/// <summary><c>orleansflow deploy</c> against a real server (SQLite and PostgreSQL, scheduler off): a YAML file becomes flows
/// and deployments; deploying again updates them; mistakes name the file, line and field.</summary>
public sealed class DeployTests : IDisposable
{
    private const string Example = """
        deployments:
          - name: nightly
            flow: etl
            entrypoint: MyFlows.dll:MyFlows.Etl.Run
            command: dotnet MyFlows.dll
            description: Loads yesterday's events.
            version: "1.2"
            tags: [etl, nightly]
            parameters:
              day: yesterday
              batch: 500
              dry_run: false
              sources: [web, app]
            schedule:
              cron: "0 3 * * *"
              timezone: Europe/Paris
            work_pool:
              name: local
              work_queue_name: etl
              job_variables:
                env:
                  LOG_LEVEL: debug
                working_dir: /srv/flows
          - name: hourly-report
            flow_name: report
            schedule:
              interval: 1h
              anchor_date: 2026-01-01T00:30:00Z
            paused: true
          - name: weekdays
            flow: report
            schedule:
              rrule: "DTSTART;TZID=Europe/Paris:20260105T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("orleansflow-deploy-tests-").FullName;

    /// <summary>Without the file, the raw .NET "Could not find file" text was printed.</summary>
    [Fact]
    public async Task Deploy_NoFile_SaysWhichFileIsMissingAndWhatToDo()
    {
        var missing = Path.Combine(_folder, "orleansflow.yaml");

        var result = await CliHarness.RunAgainstAsync("http://127.0.0.1:9/api", ["deploy", "--file", missing]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"orleansflow: no deployment file {missing}: write one (see docs/deploy-yaml.md) or give its path with --file", result.Error.Trim());
        Assert.DoesNotContain("Could not find", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deploy_ExampleFile_CreatesFlowsAndDeploymentsWithEveryField(bool postgres)
    {
        await using var server = await DeployServer.StartAsync(postgres);

        var result = await CliHarness.RunAgainstAsync(server.ApiUrl, ["deploy", "--file", Write(Example)]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Created work pool 'local' (process).", result.Lines);
        Assert.Contains(result.Lines, l => l.StartsWith("Deployed 'etl/nightly'", StringComparison.Ordinal) && l.Contains("cron '0 3 * * *' (Europe/Paris)", StringComparison.Ordinal));
        var nightly = await server.GetAsync("deployments/name/etl/nightly");
        Assert.Equal("MyFlows.dll:MyFlows.Etl.Run", nightly["entrypoint"]!.GetValue<string>());
        Assert.Equal("Loads yesterday's events.", nightly["description"]!.GetValue<string>());
        Assert.Equal("1.2", nightly["version"]!.GetValue<string>());
        Assert.Equal(["etl", "nightly"], nightly["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"day": "yesterday", "batch": 500, "dry_run": false, "sources": ["web", "app"]}"""), nightly["parameters"]));
        Assert.Equal("0 3 * * *", nightly["schedule"]!["cron"]!.GetValue<string>());
        Assert.Equal("Europe/Paris", nightly["schedule"]!["timezone"]!.GetValue<string>());
        Assert.True(nightly["is_schedule_active"]!.GetValue<bool>());
        Assert.Equal("local", nightly["work_pool_name"]!.GetValue<string>());
        Assert.Equal("etl", nightly["work_queue_name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"env": {"LOG_LEVEL": "debug"}, "working_dir": "/srv/flows", "command": "dotnet MyFlows.dll"}"""),
            nightly["infra_overrides"]));
        Assert.Equal("process", (await server.GetAsync("work_pools/local"))["type"]!.GetValue<string>());

        var hourly = await server.GetAsync("deployments/name/report/hourly-report");
        Assert.Equal(3600, hourly["schedule"]!["interval"]!.GetValue<double>());
        Assert.False(hourly["is_schedule_active"]!.GetValue<bool>());
        Assert.Equal("default-agent-pool", hourly["work_pool_name"]!.GetValue<string>());
        var weekdays = await server.GetAsync("deployments/name/report/weekdays");
        Assert.StartsWith("DTSTART;TZID=Europe/Paris:20260105T090000\nRRULE:FREQ=WEEKLY", weekdays["schedule"]!["rrule"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deploy_Twice_UpdatesTheSameDeployments(bool postgres)
    {
        await using var server = await DeployServer.StartAsync(postgres);
        var first = await CliHarness.RunAgainstAsync(server.ApiUrl, ["deploy", "--file", Write(Example)]);
        Assert.True(first.ExitCode == 0, first.Error);
        var before = await server.GetAsync("deployments/name/etl/nightly");

        var changed = Example.Replace("Loads yesterday's events.", "Loads last week's events.", StringComparison.Ordinal)
            .Replace("cron: \"0 3 * * *\"", "cron: \"30 4 * * *\"", StringComparison.Ordinal)
            .Replace("tags: [etl, nightly]", "tags: [etl]", StringComparison.Ordinal);
        var second = await CliHarness.RunAgainstAsync(server.ApiUrl, ["deploy", "--file", Write(changed), "--output", "json"]);

        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Equal(3, second.Json().AsArray().Count);
        var after = await server.GetAsync("deployments/name/etl/nightly");
        Assert.Equal(before["id"]!.GetValue<string>(), after["id"]!.GetValue<string>());
        Assert.Equal("Loads last week's events.", after["description"]!.GetValue<string>());
        Assert.Equal("30 4 * * *", after["schedule"]!["cron"]!.GetValue<string>());
        Assert.Equal(["etl"], after["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        var all = (await server.PostAsync("deployments/filter", new { })).AsArray();
        Assert.Equal(3, all.Count);
        Assert.Equal(2, (await server.PostAsync("flows/filter", new { })).AsArray().Count);
    }

    [Theory]
    [InlineData("deployments:\n  - name: a\n    flow: f\n    shedule:\n      cron: '* * * * *'\n", "x.yaml:4: deployments[0].shedule: unknown field")]
    [InlineData("deployments:\n  - name: a\n", "x.yaml:2: deployments[0].flow: required")]
    [InlineData("deployments:\n  - name: a\n    flow: f\n    schedule:\n      cron: '* * * * *'\n      interval: 60\n", "x.yaml:4: deployments[0].schedule: give only one of cron, interval")]
    [InlineData("deployments:\n  - name: a\n    flow: f\n    schedule:\n      interval: soon\n", "x.yaml:5: deployments[0].schedule.interval: 'soon' is not a duration")]
    [InlineData("deployments:\n  - name: a\n    flow: f\n    paused: maybe\n", "x.yaml:4: deployments[0].paused: expected true or false")]
    [InlineData("deployments:\n  - name: a\n    flow: f\n    tags: etl\n", "x.yaml:4: deployments[0].tags: expected a list")]
    [InlineData("deployments:\n  - name: a\n    flow: f\n    parameters: [1, 2]\n", "x.yaml:4: deployments[0].parameters: expected a mapping")]
    [InlineData("deployments:\n  - name: a/b\n    flow: f\n", "x.yaml:2: deployments[0].name: 'a/b' must not contain '/'")]
    [InlineData("deployments:\n  - name: a\n    flow: f\n  - name: a\n    flow: f\n", "x.yaml:4: deployments[1]: the deployment 'f/a' is given twice")]
    [InlineData("deployments: []\n", "x.yaml:1: deployments: expected a list of deployments with at least one entry")]
    [InlineData("deploy:\n  - name: a\n", "x.yaml:1: deploy: unknown field")]
    [InlineData("deployments:\n  - name: [a\n", "x.yaml:3: not valid YAML")]
    [InlineData("", "x.yaml: the file is empty")]
    public async Task Deploy_BadFile_RefusedWithFileLineAndField(string yaml, string expected)
    {
        var path = Path.Combine(_folder, "x.yaml");
        await File.WriteAllTextAsync(path, yaml);

        // Nothing is sent for a wrong file: no server is needed (the address is never reached).
        var result = await CliHarness.RunAgainstAsync("http://127.0.0.1:9/api", ["deploy", "--file", path]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("orleansflow: " + expected, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deploy_ScheduleTheServerRefuses_NamesTheLineOfTheSchedule(bool postgres)
    {
        await using var server = await DeployServer.StartAsync(postgres);
        var path = Write("deployments:\n  - name: ok\n    flow: f\n  - name: bad\n    flow: f\n    schedule:\n      cron: '61 * * * *'\n");

        var result = await CliHarness.RunAgainstAsync(server.ApiUrl, ["deploy", "--file", path]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("orleansflow: orleansflow.yaml:6: deployments[1].schedule ('f/bad'): the server refused the request (422)", result.Error, StringComparison.Ordinal);
        Assert.Contains("Deployed 'f/ok'", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_OnlyOneName_DeploysThatOne()
    {
        await using var server = await DeployServer.StartAsync(postgres: false);

        var result = await CliHarness.RunAgainstAsync(server.ApiUrl, ["deploy", "--file", Write(Example), "--name", "report/weekdays"]);

        Assert.True(result.ExitCode == 0, result.Error);
        var all = (await server.PostAsync("deployments/filter", new { })).AsArray();
        Assert.Equal("weekdays", Assert.Single(all)!["name"]!.GetValue<string>());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(_folder, "orleansflow.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
