using System.Text.Json.Nodes;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class TaskRunPageTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task TaskRunPage_LogsAndStateArriveLive_OnlyThisTaskRunsLogs()
    {
        var flow = await fixture.Api.FlowAsync("task-logs-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await fixture.Api.FlowRunAsync(flow, "chatty-finch", "RUNNING");
        var task = await fixture.Api.TaskRunAsync(run, "fetch", "RUNNING", cacheKey: "fetch-2026-11-22");
        var other = await fixture.Api.TaskRunAsync(run, "other", "RUNNING");
        await fixture.Api.LogAsync(run, 20, "fetch started", task);
        await fixture.Api.LogAsync(run, 20, "the flow itself speaks");

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/task-runs/{task}");
        await Expect(page.Locator(".log-lines")).ToContainTextAsync("fetch started");
        await Expect(page.Locator(".live-indicator.on")).ToBeVisibleAsync();
        await Expect(page.Locator("code.cache-key")).ToHaveTextAsync("fetch-2026-11-22");
        await Expect(page.Locator("#result-h + p")).ToHaveTextAsync("No result yet.");

        await fixture.Api.LogAsync(run, 30, "a log of another task run", other);
        await fixture.Api.LogAsync(run, 30, "fetch is slow today", task);

        var line = page.Locator(".log-lines .log", new() { HasText = "fetch is slow today" });
        await Expect(line).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(line.Locator(".lvl")).ToHaveTextAsync("WARNING");
        Assert.Equal(2, await page.Locator(".log-lines .log").CountAsync());
        await Expect(page.Locator(".log-lines")).Not.ToContainTextAsync("another task run");
        await Expect(page.Locator(".log-lines")).Not.ToContainTextAsync("the flow itself");

        await fixture.Api.PostJsonAsync($"task_runs/{task}/set_state", new JsonObject
        {
            ["state"] = new JsonObject { ["type"] = "COMPLETED", ["data"] = new JsonObject { ["rows"] = 1234 } },
        });
        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "COMPLETED", new() { Timeout = 15_000 });
        await Expect(page.Locator("#run-state .badge")).ToContainTextAsync("✓ Completed");
        await page.ReloadAsync();
        await Expect(page.Locator("pre.result")).ToContainTextAsync("\"rows\": 1234");
        await BrowserFixture.ScreenshotAsync(page, "task-run-live");
    }
}
