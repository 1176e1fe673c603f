using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class RunPageTests(BrowserFixture fixture)
{
    private static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 15_000 };

    [BrowserFact]
    public async Task RunPage_LogPostedAfterPageOpened_AppearsWithoutReload()
    {
        var flow = await fixture.Api.FlowAsync("live-logs-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await fixture.Api.FlowRunAsync(flow, "streaming-otter", "RUNNING");
        await fixture.Api.LogAsync(run, 20, "before the page opened");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{run}");
        await Expect(page.Locator(".log-lines")).ToContainTextAsync("before the page opened");
        await Expect(page.Locator(".live-indicator.on")).ToBeVisibleAsync();
        var marker = await page.EvaluateAsync<double>("() => { window.__marker = Math.random(); return window.__marker; }");

        await fixture.Api.LogAsync(run, 40, "posted after the page opened");

        var line = page.Locator(".log-lines .log", new() { HasText = "posted after the page opened" });
        await Expect(line).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(line.Locator(".lvl")).ToHaveTextAsync("ERROR");
        Assert.Equal(marker, await page.EvaluateAsync<double>("() => window.__marker"));
        Assert.Equal(2, await page.Locator(".log-lines .log").CountAsync());

        await page.Locator(".log-level").SelectOptionAsync("40");
        await Expect(page.Locator(".log-lines .log", new() { HasText = "before the page opened" })).ToBeHiddenAsync();
        await Expect(line).ToBeVisibleAsync();
        await page.Locator(".log-level").SelectOptionAsync("0");
        await page.Locator(".log-search").FillAsync("BEFORE the page");
        await Expect(line).ToBeHiddenAsync();
        await Expect(page.Locator(".log-lines .log", new() { HasText = "before the page opened" })).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task RunPage_CancelRunningFlow_ShowsCancellingThenCancelledWhenItsEngineStops()
    {
        var flow = await fixture.Api.FlowAsync("cancel-me-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await fixture.Api.FlowRunAsync(flow, "doomed-heron", "RUNNING");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{run}");
        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "RUNNING");

        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        // A running run is asked to stop (CANCELLING); the process running it then reports CANCELLED (Prefect's rules).
        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "CANCELLING");
        Assert.Equal("CANCELLING", (string)(await fixture.Api.FlowRunJsonAsync(run))["state"]!["type"]!);
        await fixture.Api.SetFlowStateAsync(run, "CANCELLED");
        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "CANCELLED", new() { Timeout = 15_000 });
        await Expect(page.Locator("#run-state .badge")).ToContainTextAsync("⊘ Cancelled");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeHiddenAsync();
        await Expect(page.Locator(".history")).ToContainTextAsync("Cancelled", new() { Timeout = 15_000 });
    }

    [BrowserFact]
    public async Task RunPage_CancelRunningFlow_RecordsWhyInItsStates()
    {
        var flow = await fixture.Api.FlowAsync("cancel-why-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await fixture.Api.FlowRunAsync(flow, "curious-crane", "RUNNING");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{run}");
        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "RUNNING");
        await page.EvaluateAsync("() => { window.__beforeCancel = true; }");

        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        // The action shows the run's page again once the server answered (the live stream may show the new state before
        // that): wait for that page, so that no navigation is still under way below.
        await page.WaitForFunctionAsync("() => window.__beforeCancel === undefined");
        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "CANCELLING");
        var cancelling = (await fixture.Api.FlowRunJsonAsync(run))["state"]!;
        Assert.Equal("CANCELLING", (string)cancelling["type"]!);
        Assert.Equal("Cancelled from the UI", (string?)cancelling["message"]);

        // The engine that stops the run reports CANCELLED without saying why: the run still says who cancelled it.
        await fixture.Api.SetFlowStateAsync(run, "CANCELLED");
        var cancelled = (await fixture.Api.FlowRunJsonAsync(run))["state"]!;
        Assert.Equal("CANCELLED", (string)cancelled["type"]!);
        Assert.Equal("Cancelled from the UI", (string?)cancelled["message"]);
        await page.GotoAsync($"/runs/{run}");
        await Expect(page.Locator(".history li", new() { HasText = "Cancelling" })).ToContainTextAsync("Cancelled from the UI");
        await Expect(page.Locator(".history li", new() { HasText = "Cancelled" }).Last).ToContainTextAsync("Cancelled from the UI");
    }

    [BrowserFact]
    public async Task RunPage_CancelScheduledRunWithoutInfrastructure_EndsCancelledAtOnce()
    {
        var flow = await fixture.Api.FlowAsync("cancel-scheduled-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await fixture.Api.FlowRunAsync(flow, "never-started-newt", "SCHEDULED");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{run}");
        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "SCHEDULED");

        await page.EvaluateAsync("() => { window.__beforeCancel = true; }");

        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        // The rules refuse CANCELLING and record CANCELLED at once: the answer says a state was written, so the page
        // reloads to show it instead of reporting "Not done".
        await page.WaitForFunctionAsync("() => window.__beforeCancel === undefined");
        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "CANCELLED", new() { Timeout = 15_000 });
        await Expect(page.Locator("#run-state .badge")).ToContainTextAsync("⊘ Cancelled");
        await Expect(page.Locator(".action-message")).Not.ToContainTextAsync("Not done");
        Assert.Equal("CANCELLED", (string)(await fixture.Api.FlowRunJsonAsync(run))["state"]!["type"]!);
    }

    [BrowserFact]
    public async Task RunPage_CancelScheduledRun_RecordsWhyInItsCancelledState()
    {
        var flow = await fixture.Api.FlowAsync("cancel-why-scheduled-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await fixture.Api.FlowRunAsync(flow, "patient-plover", "SCHEDULED");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{run}");
        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "SCHEDULED");

        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "CANCELLED", new() { Timeout = 15_000 });
        var state = (await fixture.Api.FlowRunJsonAsync(run))["state"]!;
        Assert.Equal("CANCELLED", (string)state["type"]!);
        Assert.Equal("Cancelled from the UI", (string?)state["message"]);
        await Expect(page.Locator(".history li", new() { HasText = "Cancelled" })).ToContainTextAsync("Cancelled from the UI");
    }

    [BrowserFact]
    public async Task RunPage_ParametersWithAccentsAndMarkup_ShowAsEnteredAndNotAsMarkup()
    {
        var flow = await fixture.Api.FlowAsync("json-text-" + Guid.NewGuid().ToString("N")[..6]);
        var parameters = new System.Text.Json.Nodes.JsonObject { ["who"] = "José 日本 & Co's", ["html"] = "<b>hi</b>" };
        var run = await fixture.Api.FlowRunAsync(flow, "plain-text-puffin", "COMPLETED", parameters: parameters);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{run}");

        var json = page.Locator("pre.json", new() { HasText = "\"who\"" });
        await Expect(json).ToContainTextAsync("\"José 日本 & Co's\"");
        await Expect(json).ToContainTextAsync("\"<b>hi</b>\"");
        Assert.Equal(0, await json.Locator("b").CountAsync());
    }

    [BrowserFact]
    public async Task RunPage_ResumePausedRun_RunsAgain()
    {
        var flow = await fixture.Api.FlowAsync("pause-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await fixture.Api.FlowRunAsync(flow, "sleepy-sloth", "RUNNING");
        var paused = await fixture.Api.SetFlowStateAsync(run, "PAUSED");
        Assert.Equal("ACCEPT", (string)paused["status"]!);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{run}");
        await Expect(page.Locator("#run-state .badge")).ToContainTextAsync("‖ Paused");

        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();

        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "RUNNING");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToBeHiddenAsync();
        Assert.Equal("RUNNING", (string)(await fixture.Api.FlowRunJsonAsync(run))["state"]!["type"]!);
    }

    [BrowserFact]
    public async Task RunPage_StateChangedByApi_BadgeUpdatesWithoutReload()
    {
        var flow = await fixture.Api.FlowAsync("live-state-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await fixture.Api.FlowRunAsync(flow, "changing-lynx", "RUNNING");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{run}");
        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "RUNNING");

        await fixture.Api.SetFlowStateAsync(run, "COMPLETED");

        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "COMPLETED", new() { Timeout = 15_000 });
        await Expect(page.Locator("#run-state .badge")).ToContainTextAsync("✓ Completed");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task RunPage_TasksSubflowAndArtifacts_ShowTimelineTablesAndSafeMarkdown()
    {
        var flow = await fixture.Api.FlowAsync("etl-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await fixture.Api.FlowRunAsync(flow, "busy-beaver", "RUNNING", ["prod"], new() { ["day"] = "2026-11-22", ["retries"] = 3 });
        var extract = await fixture.Api.TaskRunAsync(run, "extract", "RUNNING");
        await fixture.Api.SetTaskStateAsync(extract, "COMPLETED");
        var load = await fixture.Api.TaskRunAsync(run, "load", "RUNNING");
        await fixture.Api.SetTaskStateAsync(load, "FAILED");
        await fixture.Api.ArtifactAsync(run, "report", "markdown", "# Nightly report\n\n**42** rows <script>window.__pwned = 1</script>\n\n- [docs](https://example.com)\n- [bad](javascript:alert(1))");
        await fixture.Api.ArtifactAsync(run, "rows", "table", "[{\"city\": \"Oslo\", \"rows\": 3}, {\"city\": \"Lima\", \"rows\": 5}]");

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{run}");

        await Expect(page.Locator("table.tasks tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("table.tasks .gantt .bar")).ToHaveCountAsync(2);
        await Expect(page.Locator("table.tasks tbody tr", new() { HasText = "load" }).Locator(".badge")).ToContainTextAsync("✗ Failed");
        await Expect(page.Locator("pre.json").First).ToContainTextAsync("\"retries\": 3");
        await Expect(page.Locator(".markdown h2")).ToHaveTextAsync("Nightly report");
        await Expect(page.Locator(".markdown strong")).ToHaveTextAsync("42");
        await Expect(page.Locator(".markdown")).ToContainTextAsync("<script>");
        Assert.Equal(0, await page.Locator(".markdown script").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned"));
        await Expect(page.Locator(".markdown a[href='https://example.com']")).ToHaveCountAsync(1);
        await Expect(page.Locator(".markdown a[href^='javascript']")).ToHaveCountAsync(0);
        await Expect(page.Locator("table.artifact-table tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("table.artifact-table thead")).ToContainTextAsync("city");
        await Expect(page.Locator("table.artifact-table tbody tr").Nth(1)).ToContainTextAsync("Lima");
        await BrowserFixture.ScreenshotAsync(page, "flow-run");

        await page.Locator("table.tasks a", new() { HasText = "load" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/task-runs/{load}$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("load");
        await Expect(page.Locator(".history .badge")).ToHaveCountAsync(2);
        await BrowserFixture.ScreenshotAsync(page, "task-run");
    }

    [BrowserFact]
    public async Task RunPage_Delete_RemovesRunAndGoesToList()
    {
        var flow = await fixture.Api.FlowAsync("delete-me-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await fixture.Api.FlowRunAsync(flow, "short-lived-moth", "COMPLETED");
        var page = await fixture.NewPageAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync($"/runs/{run}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs$"));
        using var response = await fixture.Api.Http.GetAsync($"flow_runs/{run}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        await page.GotoAsync($"/runs/{run}");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Flow run not found");
    }
}
