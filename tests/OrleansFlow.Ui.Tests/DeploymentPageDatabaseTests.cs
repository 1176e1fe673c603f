using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

/// <summary>The deployment page on both databases with the shape of the benchmark's data: a deployment with no work pool
/// and hundreds of scheduled runs, late ones (due in the past) and upcoming ones, beside ended runs in every window.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DeploymentPageDatabaseTests(BrowserFixture fixture)
{
    private const int Scheduled = 300;

    [BrowserFact]
    public async Task DeploymentPage_Postgres_NoWorkPoolAndManyScheduledRuns_RendersEveryWindow()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await CheckAsync(database.Options());
    }

    [BrowserFact]
    public async Task DeploymentPage_Sqlite_NoWorkPoolAndManyScheduledRuns_RendersEveryWindow()
    {
        using var files = new SqliteFiles();
        await CheckAsync(files.NewDatabase());
    }

    private async Task CheckAsync(DatabaseOptions database)
    {
        await using var server = await InProcessServer.StartAsync(database, configure: options => options.BackgroundProcesses = false);
        var api = new ApiData(server.CreateClient());
        var flow = await api.FlowAsync("busy-flow");
        var deployment = (string)(await PostAsync(api, "deployments/", new JsonObject { ["name"] = "busy", ["flow_id"] = flow.ToString() }))["id"]!;

        // Late runs (due over the last 6 days) and upcoming ones (due over the next 6 days), 8 requests at a time.
        var now = DateTimeOffset.UtcNow;
        var due = Enumerable.Range(0, Scheduled).Select(i => now + TimeSpan.FromMinutes(((i % 2 == 0 ? -1 : 1) * (i * 57 % 8640)) + 1)).ToList();
        foreach (var chunk in due.Chunk(8))
        {
            await Task.WhenAll(chunk.Select(at => PostAsync(api, $"deployments/{deployment}/create_flow_run", new JsonObject
            {
                ["state"] = new JsonObject
                {
                    ["type"] = "SCHEDULED",
                    ["state_details"] = new JsonObject { ["scheduled_time"] = at.ToString("O", CultureInfo.InvariantCulture) },
                },
            })));
        }

        foreach (var end in new[] { "COMPLETED", "FAILED", "COMPLETED" })
        {
            var run = Guid.Parse((string)(await PostAsync(api, $"deployments/{deployment}/create_flow_run", new JsonObject { ["state"] = new JsonObject { ["type"] = "PENDING" } }))["id"]!);
            await api.SetFlowStateAsync(run, "RUNNING");
            await api.SetFlowStateAsync(run, end);
        }

        // The page renders once while it is still reading (Blazor's ComponentBase renders at its first await); on
        // PostgreSQL the deployment's read sometimes completed at once, so that render saw the deployment without its
        // chart window and answered 500 on some requests (7 of 40 on the benchmark's data): ask ten times per window.
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var failures = new List<string>();
        foreach (var window in new[] { "1h", "24h", "7d", "30d" })
        {
            for (var attempt = 0; attempt < 10; attempt++)
            {
                using var response = await http.GetAsync($"/deployments/{deployment}?window={window}");
                var html = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"window {window}, attempt {attempt}: HTTP {(int)response.StatusCode}");
                    continue;
                }

                // The deployment got the default pool (none was named), the upcoming runs and the ended runs' bars.
                Assert.Contains("default-agent-pool", html);
                Assert.Contains("<table class=\"upcoming\"", html);
                Assert.Contains("class=\"seg state-completed\"", html);
            }
        }

        Assert.Empty(failures);

        // In a browser: the upcoming list holds the 50 soonest runs, the week view this week's, the chart the ended runs.
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 800 } });
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync($"/deployments/{deployment}?window=24h");
            await Expect(page.Locator("h1")).ToHaveTextAsync("busy");
            await Expect(page.Locator("table.upcoming tbody tr")).ToHaveCountAsync(50);
            Assert.True(await page.Locator(".week section.day li a").CountAsync() >= 1, "the week view shows the runs of the coming week");
            var completed = page.Locator("#deployment-live .run-history g.bucket").Last.Locator("a.seg[data-state=COMPLETED]");
            await Expect(completed).ToHaveAttributeAsync("data-count", "2");
        }
        finally
        {
            await context.DisposeAsync();
        }
    }

    private static async Task<JsonObject> PostAsync(ApiData api, string path, JsonObject body)
    {
        using var response = await api.Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
