namespace OrleansFlow.Cli.Tests;

/// <summary><c>concurrency-limit</c>, <c>global-concurrency-limit</c> and <c>variable</c> against a real server: each
/// change is read back through the API.</summary>
public sealed class LimitAndVariableCommandsTests
{
    [Fact]
    public async Task ConcurrencyLimit_CreateLsInspectResetDelete()
    {
        await using var cli = await CliHarness.StartAsync();

        var create = await cli.RunAsync("concurrency-limit", "create", "database", "3");
        var stored = await cli.GetAsync("concurrency_limits/tag/database");
        var ls = await cli.RunAsync("concurrency-limit", "ls");
        var inspect = await cli.RunAsync("concurrency-limit", "inspect", "database");
        var change = await cli.RunAsync("concurrency-limit", "create", "database", "5");
        var changed = await cli.GetAsync("concurrency_limits/tag/database");
        var reset = await cli.RunAsync("concurrency-limit", "reset", "database");
        var delete = await cli.RunAsync("concurrency-limit", "delete", "database");
        var missing = await cli.RunAsync("concurrency-limit", "inspect", "database");

        Assert.Equal((0, 0, 0, 0, 0, 0), (create.ExitCode, ls.ExitCode, inspect.ExitCode, change.ExitCode, reset.ExitCode, delete.ExitCode));
        Assert.Equal(3, stored["concurrency_limit"]!.GetValue<int>());
        Assert.Equal(5, changed["concurrency_limit"]!.GetValue<int>());
        Assert.Equal(stored["id"]!.ToString(), changed["id"]!.ToString());
        var row = Assert.Single(ls.Lines, l => l.StartsWith("database ", StringComparison.Ordinal));
        Assert.Contains(stored["id"]!.ToString(), row, StringComparison.Ordinal);
        Assert.Contains(inspect.Lines, l => l.StartsWith("limit:", StringComparison.Ordinal) && l.EndsWith('3'));
        Assert.Contains(inspect.Lines, l => l.StartsWith("held by:", StringComparison.Ordinal) && l.EndsWith("none", StringComparison.Ordinal));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no concurrency limit on tag 'database'", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrencyLimit_NegativeLimit_IsAUsageErrorAndStoresNothing()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("concurrency-limit", "create", "database", "-1");

        // The reason is printed by the CLI's entry point (ErrorAndLayoutTests checks it on the real process).
        Assert.NotEqual(0, result.ExitCode);
        using var response = await cli.Http.GetAsync("concurrency_limits/tag/database");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GlobalConcurrencyLimit_CreateUpdateDisableEnableDelete()
    {
        await using var cli = await CliHarness.StartAsync();

        var create = await cli.RunAsync("global-concurrency-limit", "create", "api-calls", "--limit", "10", "--slot-decay-per-second", "2.5");
        var created = await cli.GetAsync("v2/concurrency_limits/api-calls");
        var update = await cli.RunAsync("gcl", "update", "api-calls", "--limit", "20");
        var disable = await cli.RunAsync("gcl", "disable", "api-calls");
        var disabled = await cli.GetAsync("v2/concurrency_limits/api-calls");
        var enable = await cli.RunAsync("gcl", "enable", "api-calls");
        var ls = await cli.RunAsync("gcl", "ls");
        var inspect = await cli.RunAsync("gcl", "inspect", "api-calls", "-o", "json");
        var nothing = await cli.RunAsync("gcl", "update", "api-calls");
        var delete = await cli.RunAsync("gcl", "delete", "api-calls");

        Assert.Equal((0, 0, 0, 0, 0, 0, 0), (create.ExitCode, update.ExitCode, disable.ExitCode, enable.ExitCode, ls.ExitCode, inspect.ExitCode, delete.ExitCode));
        Assert.Equal(10, created["limit"]!.GetValue<int>());
        Assert.Equal(2.5, created["slot_decay_per_second"]!.GetValue<double>());
        Assert.True(created["active"]!.GetValue<bool>());
        Assert.Equal(20, disabled["limit"]!.GetValue<int>());
        Assert.False(disabled["active"]!.GetValue<bool>());
        var row = Assert.Single(ls.Lines, l => l.StartsWith("api-calls ", StringComparison.Ordinal));
        Assert.Contains("true", row, StringComparison.Ordinal);
        Assert.True(inspect.Json()["active"]!.GetValue<bool>());
        Assert.NotEqual(0, nothing.ExitCode);
        Assert.Contains("nothing to update", nothing.Error, StringComparison.Ordinal);
        using var response = await cli.Http.GetAsync("v2/concurrency_limits/api-calls");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>Prefect 2.20's <c>gcl update</c> also takes <c>--active-slots</c>, <c>--enable</c> and <c>--disable</c>.</summary>
    [Fact]
    public async Task GlobalConcurrencyLimit_UpdateActiveSlotsAndActive()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.RunAsync("gcl", "create", "api-calls", "--limit", "10");

        var disable = await cli.RunAsync("gcl", "update", "api-calls", "--disable", "--active-slots", "3", "--limit", "5");
        var disabled = await cli.GetAsync("v2/concurrency_limits/api-calls");
        var enable = await cli.RunAsync("gcl", "update", "api-calls", "--enable", "-o", "json");
        var enabled = await cli.GetAsync("v2/concurrency_limits/api-calls");
        var both = await cli.RunAsScriptAsync("gcl", "update", "api-calls", "--enable", "--disable");
        var afterBoth = await cli.GetAsync("v2/concurrency_limits/api-calls");

        Assert.Equal((0, 0), (disable.ExitCode, enable.ExitCode));
        Assert.False(disabled["active"]!.GetValue<bool>());
        Assert.Equal(3, disabled["active_slots"]!.GetValue<int>());
        Assert.Equal(5, disabled["limit"]!.GetValue<int>());
        Assert.True(enabled["active"]!.GetValue<bool>());
        Assert.Equal(3, enabled["active_slots"]!.GetValue<int>());
        Assert.True(enable.Json()["active"]!.GetValue<bool>());
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--enable and --disable: give one or the other, not both.", both.Output, StringComparison.Ordinal);
        Assert.True(afterBoth["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task GlobalConcurrencyLimit_TakenName_ReportsTheServersReason()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.RunAsync("gcl", "create", "shared", "--limit", "1");

        var again = await cli.RunAsync("gcl", "create", "shared", "--limit", "2");

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await cli.GetAsync("v2/concurrency_limits/shared"))["limit"]!.GetValue<int>());
    }

    [Fact]
    public async Task Variable_SetGetOverwriteUnset()
    {
        await using var cli = await CliHarness.StartAsync();

        var set = await cli.RunAsync("variable", "set", "bucket", "s3://one", "--tag", "prod", "--tag", "storage");
        var get = await cli.RunAsync("variable", "get", "bucket");
        var taken = await cli.RunAsync("variable", "set", "bucket", "s3://two");
        var overwrite = await cli.RunAsync("variable", "set", "bucket", "s3://three", "--overwrite");
        var stored = await cli.GetAsync("variables/name/bucket");
        var ls = await cli.RunAsync("variable", "ls");
        var inspect = await cli.RunAsync("variable", "inspect", "bucket");
        var unset = await cli.RunAsync("variable", "unset", "bucket");
        var gone = await cli.RunAsync("variable", "get", "bucket");

        Assert.Equal((0, 0, 0, 0, 0, 0), (set.ExitCode, get.ExitCode, overwrite.ExitCode, ls.ExitCode, inspect.ExitCode, unset.ExitCode));
        Assert.Equal("s3://one", get.Output.TrimEnd('\n'));
        Assert.Equal(1, taken.ExitCode);
        Assert.Contains("already exists", taken.Error, StringComparison.Ordinal);
        Assert.Equal("s3://three", stored["value"]!.ToString());
        Assert.Equal(["prod", "storage"], stored["tags"]!.AsArray().Select(t => t!.ToString()));
        Assert.Single(ls.Lines, l => l.StartsWith("bucket ", StringComparison.Ordinal) && l.Contains("s3://three", StringComparison.Ordinal));
        Assert.Contains(inspect.Lines, l => l.StartsWith("tags:", StringComparison.Ordinal) && l.EndsWith("prod, storage", StringComparison.Ordinal));
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("variable 'bucket' not found", gone.Error, StringComparison.Ordinal);
    }

    /// <summary><c>variable get -o json</c> printed the bare text, which is not JSON.</summary>
    [Fact]
    public async Task VariableGet_Json_PrintsTheValueAsJson()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.PostAsync("variables/", new { name = "bucket", value = "s3://one \"quoted\"" });

        var get = await cli.RunAsync("variable", "get", "bucket", "-o", "json");

        Assert.Equal(0, get.ExitCode);
        Assert.Equal("s3://one \"quoted\"", get.Json().GetValue<string>());
    }

    [Fact]
    public async Task Variable_OverwriteOfAMissingVariable_CreatesIt()
    {
        await using var cli = await CliHarness.StartAsync();

        var set = await cli.RunAsync("variable", "set", "fresh", "value", "--overwrite");

        Assert.Equal(0, set.ExitCode);
        Assert.Equal("value", (await cli.GetAsync("variables/name/fresh"))["value"]!.ToString());
    }
}
