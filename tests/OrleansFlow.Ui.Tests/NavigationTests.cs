using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

/// <summary>The main menu marks where the reader is: on every page exactly one item is current, the page's section.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class NavigationTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task EveryPage_MarksExactlyItsSectionsMenuItemAsCurrent()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var pool = "nav-pool-" + suffix;
        await PostAsync("work_pools/", new JsonObject { ["name"] = pool, ["type"] = "process" });
        var flow = await fixture.Api.FlowAsync("nav_flow_" + suffix);
        var deployment = (string)(await PostAsync("deployments/", new JsonObject { ["name"] = "nav-" + suffix, ["flow_id"] = flow.ToString(), ["work_pool_name"] = pool }))["id"]!;
        var run = await fixture.Api.FlowRunAsync(flow, "nav-run-" + suffix, "COMPLETED");
        var task = await fixture.Api.TaskRunAsync(run, "nav_task_" + suffix, "COMPLETED");
        var artifact = (string)(await PostAsync("artifacts/", new JsonObject { ["key"] = "nav-" + suffix, ["type"] = "markdown", ["data"] = "# hi", ["flow_run_id"] = run.ToString() }))["id"]!;
        var automation = (string)(await PostAsync("automations/", new JsonObject
        {
            ["name"] = "nav-" + suffix,
            ["trigger"] = new JsonObject { ["type"] = "event", ["posture"] = "Reactive", ["expect"] = new JsonArray("prefect.flow-run.Failed"), ["threshold"] = 1, ["within"] = 0 },
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "cancel-flow-run" }),
        }))["id"]!;

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/blocks/catalog/secret/create");
        await page.Locator("#block-new").GetByLabel("Block name").FillAsync("nav-" + suffix);
        await page.Locator("#block-new-data-value").FillAsync("s3cret");
        await page.Locator("#block-new").GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(BlockPage());
        var block = BlockPage().Match(page.Url).Groups[1].Value;

        var expected = new (string Path, string Item)[]
        {
            ("/", "Dashboard"),
            ("/runs", "Flow runs"), ($"/runs/{run}", "Flow runs"),
            ("/task-runs", "Task runs"), ($"/task-runs/{task}", "Task runs"),
            ("/flows", "Flows"), ($"/flows/{flow}", "Flows"),
            ("/deployments", "Deployments"), ($"/deployments/{deployment}", "Deployments"), ($"/deployments/{deployment}/run", "Deployments"),
            ("/work-pools", "Work pools"), ($"/work-pools/{pool}", "Work pools"),
            ("/concurrency-limits", "Concurrency limits"),
            ("/variables", "Variables & blocks"), ("/blocks/catalog", "Variables & blocks"), ("/blocks/catalog/secret/create", "Variables & blocks"),
            ($"/blocks/block/{block}", "Variables & blocks"),
            ("/artifacts", "Artifacts"), ($"/artifacts/{artifact}", "Artifacts"),
            ("/events", "Events"),
            ("/automations", "Automations"), ("/automations/new", "Automations"), ($"/automations/{automation}", "Automations"),
            ("/settings", "Settings"),
        };
        var wrong = new List<string>();
        foreach (var (path, item) in expected)
        {
            await page.GotoAsync(path);
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            var current = await page.Locator("nav[aria-label=Main] [aria-current]").AllInnerTextsAsync();
            var values = await page.Locator("nav[aria-label=Main] [aria-current]").EvaluateAllAsync<string[]>("items => items.map(i => i.getAttribute('aria-current'))");
            if (current.Count != 1 || current[0].Trim() != item || values[0] != "page")
            {
                wrong.Add($"{path}: current is [{string.Join(", ", current)}] ({string.Join(", ", values)}), expected {item}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        // Every menu item is checked by some page.
        var items = await page.Locator("nav[aria-label=Main] a").AllInnerTextsAsync();
        Assert.Empty(items.Select(i => i.Trim()).Except(expected.Select(e => e.Item)));
    }

    [GeneratedRegex(@"/blocks/block/([0-9a-f-]{36})$")]
    private static partial Regex BlockPage();

    private async Task<JsonObject> PostAsync(string path, JsonObject body)
    {
        using var response = await fixture.Api.Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return (JsonObject)JsonNode.Parse(text)!;
    }
}
