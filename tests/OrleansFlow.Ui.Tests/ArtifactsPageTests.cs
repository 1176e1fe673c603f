using System.Text.Json.Nodes;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Ui.Tests;

/// <summary>/artifacts lists what its heading says, the latest version of each keyed artifact, as Prefect's page does:
/// a run's unkeyed artifacts (results every run makes) used to fill it and push the keyed ones off.</summary>
public sealed class ArtifactsPageTests
{
    [Fact]
    public async Task ArtifactsPage_Sqlite_ShowsTheLatestVersionOfEachKeyOnly()
    {
        using var files = new SqliteFiles();
        await CheckAsync(files.NewDatabase());
    }

    [Fact]
    public async Task ArtifactsPage_Postgres_ShowsTheLatestVersionOfEachKeyOnly()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await CheckAsync(database.Options());
    }

    private static async Task CheckAsync(DatabaseOptions database)
    {
        await using var server = await InProcessServer.StartAsync(database, configure: options => options.BackgroundProcesses = false);
        using var http = server.CreateClient();
        var api = new ApiData(http);
        var run = await api.FlowRunAsync(await api.FlowAsync("artifacts-page"), "making-artifacts", "RUNNING");
        await api.ArtifactAsync(run, "weekly-report", "markdown", "first draft of the report");
        await api.ArtifactAsync(run, "weekly-report", "markdown", "final version of the report");
        await api.ArtifactAsync(run, "other-report", "markdown", "the other report");
        for (var i = 0; i < 60; i++)
        {
            await api.PostJsonAsync("artifacts/", new JsonObject { ["type"] = "result", ["data"] = $"unkeyed result {i}", ["flow_run_id"] = run.ToString() });
        }

        using var page = new HttpClient { BaseAddress = server.BaseAddress };
        var html = await page.GetStringAsync("/artifacts");

        Assert.Contains("final version of the report", html, StringComparison.Ordinal);
        Assert.Contains("the other report", html, StringComparison.Ordinal);
        Assert.DoesNotContain("first draft of the report", html, StringComparison.Ordinal);
        Assert.DoesNotContain("unkeyed result", html, StringComparison.Ordinal);
    }
}
