using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class DeploymentsAndPoolsTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task DeploymentsAndWorkPools_MadeThroughTheApi_ShowScheduleNextRunsQueuesAndWorkers()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var pool = "pool-" + suffix;
        await PostAsync("work_pools/", new JsonObject { ["name"] = pool, ["type"] = "process" });
        using (var heartbeat = await fixture.Api.Http.PostAsJsonAsync($"work_pools/{pool}/workers/heartbeat", new { name = "worker-" + suffix }))
        {
            heartbeat.EnsureSuccessStatusCode();
        }

        var flow = await fixture.Api.FlowAsync("nightly-" + suffix);
        var deployment = await PostAsync("deployments/", new JsonObject
        {
            ["name"] = "hourly-" + suffix,
            ["flow_id"] = flow.ToString(),
            ["schedule"] = new JsonObject { ["interval"] = 3600, ["timezone"] = "UTC" },
            ["is_schedule_active"] = true,
            ["work_pool_name"] = pool,
            ["tags"] = new JsonArray("nightly"),
        });
        await PostAsync($"deployments/{(string)deployment["id"]!}/schedule", []);

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/deployments");
        var row = page.Locator($"tr[data-deployment='hourly-{suffix}']");
        await Expect(row).ToContainTextAsync("every hour (UTC)");
        await Expect(row).ToContainTextAsync("▶ Active");
        await Expect(row).ToContainTextAsync("nightly-" + suffix);
        await Expect(row).ToContainTextAsync(pool);
        Assert.True(await row.Locator("td:nth-child(4) a").CountAsync() >= 1, "the deployment's next scheduled runs are listed");
        await BrowserFixture.ScreenshotAsync(page, "deployments");

        await row.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Pause schedule" }).ClickAsync();
        await Expect(row).ToContainTextAsync("‖ Paused");
        var stored = JsonNode.Parse(await fixture.Api.Http.GetStringAsync($"deployments/{(string)deployment["id"]!}"))!;
        Assert.False((bool)stored["is_schedule_active"]!);
        await row.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Resume schedule" }).ClickAsync();
        await Expect(row).ToContainTextAsync("▶ Active");

        await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Work pools", Exact = true }).ClickAsync();
        var card = page.Locator($"#pool-{pool}");
        await Expect(card).ToContainTextAsync("default");
        await Expect(card).ToContainTextAsync("worker-" + suffix);
        await Expect(card).ToContainTextAsync("1 online");
        await BrowserFixture.ScreenshotAsync(page, "work-pools");
    }

    private async Task<JsonObject> PostAsync(string path, JsonObject body)
    {
        using var response = await fixture.Api.Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }
}
