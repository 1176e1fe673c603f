using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

/// <summary>A live region keeps refreshing while an edit panel in it is open: the rows and values around the panel
/// change, the panel (what is typed, where the focus is) does not. When rows come or go, the region waits for the panel
/// to close and says so.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveRefreshTests(BrowserFixture fixture)
{
    private static readonly LocatorAssertionsToHaveTextOptions Refreshed = new() { Timeout = 20_000 };

    [BrowserFact]
    public async Task OpenQueueEditPanel_RowValuesAroundItRefresh_PanelKeepsTypingAndFocus_NewRowsWaitWithANote()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var pool = "live-panel-pool-" + suffix;
        await SendAsync(HttpMethod.Post, "work_pools/", new JsonObject { ["name"] = pool, ["type"] = "process" });
        await SendAsync(HttpMethod.Post, $"work_pools/{pool}/queues", new JsonObject { ["name"] = "edited", ["concurrency_limit"] = 1 });
        await SendAsync(HttpMethod.Post, $"work_pools/{pool}/queues", new JsonObject { ["name"] = "other", ["concurrency_limit"] = 2 });

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/work-pools/{pool}");
        var edited = page.Locator("tr[data-queue=edited]");
        await page.GetByLabel("Edit queue edited").ClickAsync();
        var description = edited.GetByLabel("Description");
        await description.FillAsync("typed, not saved");

        // Changed elsewhere: the edited queue's own limit and the other queue's.
        await SendAsync(HttpMethod.Patch, $"work_pools/{pool}/queues/edited", new JsonObject { ["concurrency_limit"] = 7 });
        await SendAsync(HttpMethod.Patch, $"work_pools/{pool}/queues/other", new JsonObject { ["concurrency_limit"] = 9 });
        await Expect(page.Locator("tr[data-queue=other] td[data-label=Limit]")).ToHaveTextAsync("9", Refreshed);
        await Expect(edited.Locator("td[data-label=Limit]")).ToHaveTextAsync("7", Refreshed);
        await Expect(edited.Locator("details.edit")).ToHaveJSPropertyAsync("open", true);
        await Expect(description).ToHaveValueAsync("typed, not saved");
        await Expect(description).ToBeFocusedAsync();
        await Expect(page.Locator("#pool-live-paused")).ToHaveCountAsync(0);

        // A new row cannot be placed around the open panel: the region waits, and says so, until the panel closes.
        await SendAsync(HttpMethod.Post, $"work_pools/{pool}/queues", new JsonObject { ["name"] = "added" });
        await Expect(page.Locator("#pool-live-paused")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Updates paused while editing"), Refreshed);
        await Expect(page.Locator("tr[data-queue=added]")).ToHaveCountAsync(0);
        await Expect(description).ToHaveValueAsync("typed, not saved");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("tr[data-queue=added] td[data-label=Queue]")).ToHaveTextAsync("added", Refreshed);
        await Expect(page.Locator("#pool-live-paused")).ToHaveCountAsync(0);
    }

    private async Task SendAsync(HttpMethod method, string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        using var response = await fixture.Api.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
