using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

/// <summary>A pool's work queues on its page: edited through the API from their row, reached from a run's or deployment's
/// queue link (the row is scrolled to and marked), and a pool no worker has polled yet shown as neutral, not as an error.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WorkQueueFormsTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task QueueRow_Edit_SetsPriorityLimitAndDescription_ShowsTheApiErrorAtItsField_AndClearsTheLimit()
    {
        var pool = "ui-queue-pool-" + Guid.NewGuid().ToString("N")[..6];
        await fixture.Api.PostJsonAsync("work_pools/", new JsonObject { ["name"] = pool, ["type"] = "process" });
        await fixture.Api.PostJsonAsync($"work_pools/{pool}/queues", new JsonObject { ["name"] = "batch", ["priority"] = 4 });
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/work-pools/{pool}");

        var row = page.Locator("tr[data-queue=batch]");
        await row.GetByText("Edit").ClickAsync();
        var form = row.Locator("form");
        await Expect(form.GetByLabel("Priority")).ToHaveValueAsync("4");

        // Priority 0: the API's 422 names the field, and the message shows under it; nothing changes.
        await form.GetByLabel("Priority").FillAsync("0");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(form.Locator(".field[data-field=priority] .field-error")).ToContainTextAsync("greater than or equal to 1");
        await Expect(form.GetByLabel("Priority")).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Equal(4, (int)(await GetJsonAsync($"work_pools/{pool}/queues/batch"))["priority"]!);

        await form.GetByLabel("Priority").FillAsync("2");
        await form.GetByLabel("Concurrency limit").FillAsync("3");
        await form.GetByLabel("Description").FillAsync("nightly batch jobs");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(row.Locator("td[data-label=Limit]")).ToHaveTextAsync("3");
        await Expect(row.Locator("td[data-label=Queue]")).ToContainTextAsync("nightly batch jobs");
        var stored = await GetJsonAsync($"work_pools/{pool}/queues/batch");
        Assert.Equal(2, (int)stored["priority"]!);
        Assert.Equal(3, (int)stored["concurrency_limit"]!);
        Assert.Equal("nightly batch jobs", (string)stored["description"]!);

        // Emptying the limit clears it.
        await row.GetByText("Edit").ClickAsync();
        await form.GetByLabel("Concurrency limit").FillAsync("");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(row.Locator("td[data-label=Limit]")).ToHaveTextAsync("—");
        Assert.Null((await GetJsonAsync($"work_pools/{pool}/queues/batch"))["concurrency_limit"]);
    }

    [BrowserFact]
    public async Task RunPageQueueLink_LandsOnTheQueuesRow_AndMarksIt()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var pool = "ui-link-pool-" + suffix;
        await fixture.Api.PostJsonAsync("work_pools/", new JsonObject { ["name"] = pool, ["type"] = "process" });
        for (var i = 0; i < 6; i++)
        {
            await fixture.Api.PostJsonAsync($"work_pools/{pool}/queues", new JsonObject { ["name"] = $"filler-{i}" });
        }

        await fixture.Api.PostJsonAsync($"work_pools/{pool}/queues", new JsonObject { ["name"] = "the-target" });
        var flow = await fixture.Api.FlowAsync("ui-link-flow-" + suffix);
        var deployment = (string)(await fixture.Api.PostJsonAsync("deployments/", new JsonObject
        {
            ["name"] = "ui-link-deployment-" + suffix,
            ["flow_id"] = flow.ToString(),
            ["work_pool_name"] = pool,
            ["work_queue_name"] = "the-target",
        }))["id"]!;
        var run = (string)(await fixture.Api.PostJsonAsync($"deployments/{deployment}/create_flow_run", []))["id"]!;

        // A phone-sized window, so that the row is below the fold unless the link scrolls to it.
        var page = await fixture.NewPageAsync(width: 390, height: 700);
        await page.GotoAsync($"/runs/{run}");
        await page.Locator("dl.facts").GetByRole(AriaRole.Link, new() { Name = "the-target", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{fixture.Server.BaseAddress}work-pools/{pool}#queue-the-target");
        var row = page.Locator("tr[data-queue=the-target]");
        await Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\btargeted\b"));
        await Expect(row).ToBeInViewportAsync();
        await Expect(page.Locator("tr[data-queue=filler-0]")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\btargeted\b"));

        // The deployment's page links its queue the same way.
        await page.GotoAsync($"/deployments/{deployment}");
        await Expect(page.Locator("dl.facts").GetByRole(AriaRole.Link, new() { Name = "the-target", Exact = true }))
            .ToHaveAttributeAsync("href", $"/work-pools/{pool}#queue-the-target");
        await Expect(page.Locator("dl.facts dd", new() { HasText = "last polled" })).ToContainTextAsync("the-target ○ Not ready");
    }

    [BrowserFact]
    public async Task NewPool_NotReady_IsNeutral_NotAnError()
    {
        var pool = "ui-fresh-pool-" + Guid.NewGuid().ToString("N")[..6];
        await fixture.Api.PostJsonAsync("work_pools/", new JsonObject { ["name"] = pool, ["type"] = "process" });
        var page = await fixture.NewPageAsync();
        foreach (var path in new[] { "/work-pools", $"/work-pools/{pool}" })
        {
            await page.GotoAsync(path);
            var scope = path == "/work-pools" ? page.Locator($"section[id='pool-{pool}']") : page.Locator("main");
            var notReady = scope.Locator(".badge[data-status=NOT_READY]").First;
            await Expect(notReady).ToContainTextAsync("Not ready");
            // Grey (the muted text colour), not the failed or crashed red.
            var (colour, muted, failed) = await ColoursAsync(page, notReady);
            Assert.Equal(muted, colour);
            Assert.NotEqual(failed, colour);
        }
    }

    private static async Task<(string Colour, string Muted, string Failed)> ColoursAsync(IPage page, ILocator badge)
    {
        var colour = await badge.EvaluateAsync<string>("b => getComputedStyle(b).color");
        var muted = await page.EvaluateAsync<string>("() => { const s = document.createElement('span'); s.style.color = 'var(--muted)'; document.body.append(s); const c = getComputedStyle(s).color; s.remove(); return c; }");
        var failed = await page.EvaluateAsync<string>("() => { const s = document.createElement('span'); s.style.color = 'var(--crashed)'; document.body.append(s); const c = getComputedStyle(s).color; s.remove(); return c; }");
        return (colour, muted, failed);
    }

    private async Task<JsonObject> GetJsonAsync(string path) =>
        JsonNode.Parse(await fixture.Api.Http.GetStringAsync(path))!.AsObject();
}
