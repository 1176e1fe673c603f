using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class NewPagesTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task FlowDeploymentAndPoolPages_LinkedFromEachOther_ShowHistoryTasksScheduleAndWorkers()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var pool = "pool-" + suffix;
        await PostAsync("work_pools/", new JsonObject { ["name"] = pool, ["type"] = "process" });
        using (var heartbeat = await fixture.Api.Http.PostAsJsonAsync($"work_pools/{pool}/workers/heartbeat", new { name = "worker-" + suffix }))
        {
            heartbeat.EnsureSuccessStatusCode();
        }

        var flowName = "etl-" + suffix;
        var flow = await fixture.Api.FlowAsync(flowName);
        var deployment = (string)(await PostAsync("deployments/", new JsonObject
        {
            ["name"] = "weekdays-" + suffix,
            ["flow_id"] = flow.ToString(),
            ["schedule"] = new JsonObject { ["cron"] = "0 9 * * 1-5", ["timezone"] = "UTC" },
            ["is_schedule_active"] = true,
            ["work_pool_name"] = pool,
            ["parameters"] = new JsonObject { ["rows"] = 100 },
        }))["id"]!;
        await PostAsync($"deployments/{deployment}/schedule", []);
        var waiting = (string)(await PostAsync($"deployments/{deployment}/create_flow_run", new JsonObject { ["name"] = "waiting-" + suffix, ["state"] = new JsonObject { ["type"] = "PENDING" } }))["id"]!;

        var broken = await fixture.Api.FlowRunAsync(flow, "broken-" + suffix, "PENDING");
        await fixture.Api.SetFlowStateAsync(broken, "RUNNING");
        var load = await fixture.Api.TaskRunAsync(broken, "load", "PENDING");
        await fixture.Api.SetTaskStateAsync(load, "RUNNING");
        await fixture.Api.SetTaskStateAsync(load, "FAILED");
        await fixture.Api.SetFlowStateAsync(broken, "FAILED");

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/flows?q=" + flowName);
        await page.GetByRole(AriaRole.Link, new() { Name = flowName, Exact = true }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync(flowName);
        await Expect(page.Locator("#flow-live .run-history g.bucket").Last.Locator("a.seg[data-state=FAILED]")).ToHaveAttributeAsync("data-count", "1");
        await Expect(page.Locator("table.failing-tasks tr[data-task-key=load] td").Nth(1)).ToHaveTextAsync("1");
        await Expect(page.Locator("section[aria-labelledby=flow-latest-h] table.runs")).ToContainTextAsync("broken-" + suffix);
        await BrowserFixture.ScreenshotAsync(page, "flow");

        await page.Locator("table.flow-deployments").GetByRole(AriaRole.Link, new() { Name = "weekdays-" + suffix }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/deployments/{deployment}$"));
        await Expect(page.Locator("#schedule-words")).ToHaveTextAsync("At 09:00, Monday to Friday (cron 0 9 * * 1-5, UTC)");
        await Expect(page.Locator(".week section.day")).ToHaveCountAsync(7);
        Assert.True(await page.Locator("table.upcoming tbody tr").CountAsync() >= 1, "the scheduled runs are listed");
        Assert.True(await page.Locator(".week section.day li a").CountAsync() >= 1, "the week view shows the runs of the coming week");
        await Expect(page.Locator("table.parameters")).ToContainTextAsync("rows");
        await Expect(page.Locator("table.parameters")).ToContainTextAsync("100");
        await BrowserFixture.ScreenshotAsync(page, "deployment");

        await page.Locator("dl.facts").GetByRole(AriaRole.Link, new() { Name = pool }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync(pool);
        await Expect(page.Locator($"tr[data-worker=worker-{suffix}]")).ToContainTextAsync("Online");
        await Expect(page.Locator("tr[data-queue=default]")).ToBeVisibleAsync();
        await Expect(page.Locator("section[aria-labelledby=inflight-h] table.runs")).ToContainTextAsync("waiting-" + suffix);
        await Expect(page.Locator("[data-chart=pool-depth] svg g.series")).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "work-pool");
        Assert.NotNull(waiting);
    }

    [BrowserFact]
    public async Task RunGantt_RetriedTaskWithALimitedTag_DrawsAttemptsAndTheWaitAndZooms()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var tag = "slot-" + suffix;
        await PostAsync("concurrency_limits/", new JsonObject { ["tag"] = tag, ["concurrency_limit"] = 5 });
        var flow = await fixture.Api.FlowAsync("gantt-" + suffix);
        var run = await fixture.Api.FlowRunAsync(flow, "gantt-run-" + suffix, "PENDING");
        await fixture.Api.SetFlowStateAsync(run, "RUNNING");
        var first = await fixture.Api.TaskRunAsync(run, "extract", "PENDING");
        await fixture.Api.SetTaskStateAsync(first, "RUNNING");
        await fixture.Api.SetTaskStateAsync(first, "COMPLETED");
        var retried = await fixture.Api.TaskRunAsync(run, "flaky-load", "PENDING", tags: [tag]);
        await TaskStateAsync(retried, "RUNNING", "Running");
        await TaskStateAsync(retried, "SCHEDULED", "AwaitingRetry");
        await TaskStateAsync(retried, "RUNNING", "Retrying");
        await TaskStateAsync(retried, "COMPLETED", "Completed");

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{run}");
        var row = page.Locator($"#gantt g.gantt-row[data-task-run='{retried}']");
        await Expect(row.Locator("rect.seg.run")).ToHaveCountAsync(2);
        Assert.Equal("1", await row.Locator("rect.seg.run").First.GetAttributeAsync("data-attempt"));
        await Expect(row.Locator("rect.seg.run").First).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("state-failed"));
        await Expect(row.Locator("rect.seg.run").Last).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("state-completed"));
        await Expect(row.Locator("line.seg.retry-wait")).ToHaveCountAsync(1);
        await Expect(row.Locator("rect.seg.wait title")).ToContainTextAsync("waiting for a concurrency slot (" + tag + ")");
        await BrowserFixture.ScreenshotAsync(page, "flow-run-gantt");

        // Zoom from the form (keyboard path) to the first half of the span.
        var span = double.Parse((await page.Locator("#gantt").GetAttributeAsync("data-to"))!, CultureInfo.InvariantCulture);
        Assert.True(span > 0);
        var half = (span / 2).ToString("0.######", CultureInfo.InvariantCulture);
        await page.Locator("#gantt input[name=gantt_from]").FillAsync("0");
        await page.Locator("#gantt input[name=gantt_to]").FillAsync(half);
        await page.Locator("#gantt input[name=gantt_to]").PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("gantt_to=" + System.Text.RegularExpressions.Regex.Escape(half)));
        await Expect(page.Locator("#gantt")).ToHaveAttributeAsync("data-to", half);
        await Expect(page.Locator("#gantt").GetByRole(AriaRole.Link, new() { Name = "Reset zoom" })).ToBeVisibleAsync();

        // Drag across the middle of the plot: a narrower range.
        var box = (await page.Locator("#gantt svg").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width * 0.5f, box.Y + box.Height / 2f);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width * 0.8f, box.Y + box.Height / 2f, new() { Steps = 4 });
        await page.Mouse.UpAsync();
        await Expect(page.Locator("#gantt")).Not.ToHaveAttributeAsync("data-from", "0");
        var from = double.Parse((await page.Locator("#gantt").GetAttributeAsync("data-from"))!, CultureInfo.InvariantCulture);
        var to = double.Parse((await page.Locator("#gantt").GetAttributeAsync("data-to"))!, CultureInfo.InvariantCulture);
        Assert.True(from > 0 && to <= span / 2 + 1e-6 && to > from, $"dragged to {from}..{to} within 0..{span / 2}");
    }

    private async Task TaskStateAsync(Guid taskRun, string type, string name) =>
        await PostAsync($"task_runs/{taskRun}/set_state", new JsonObject { ["state"] = new JsonObject { ["type"] = type, ["name"] = name }, ["force"] = true });

    private async Task<JsonObject> PostAsync(string path, JsonObject body)
    {
        using var response = await fixture.Api.Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }
}
