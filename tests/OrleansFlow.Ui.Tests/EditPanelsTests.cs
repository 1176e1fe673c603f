using System.Text.Json.Nodes;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

/// <summary>The inline create and edit panels (details.create, details.edit) of every page that has them close with Escape
/// and give the focus back to the control that opened them.</summary>
[Collection(BrowserCollection.Name)]
public sealed class EditPanelsTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task EveryEditPanel_Escape_ClosesIt_AndFocusesItsOpener()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var pool = "ui-esc-pool-" + suffix;
        await fixture.Api.PostJsonAsync("work_pools/", new JsonObject { ["name"] = pool, ["type"] = "process" });
        await fixture.Api.PostJsonAsync("variables/", new JsonObject { ["name"] = "ui_esc_" + suffix, ["value"] = "v" });
        await fixture.Api.PostJsonAsync("v2/concurrency_limits/", new JsonObject { ["name"] = "ui-esc-global-" + suffix, ["limit"] = 2 });
        var block = (string)(await fixture.Api.PostJsonAsync("block_documents/", new JsonObject
        {
            ["name"] = "ui-esc-block-" + suffix,
            ["block_type_id"] = "34882476-dcfb-5e06-a015-9763ff2dcdc8", // string
            ["block_schema_id"] = "b67c0ca4-b536-5ae5-930a-cd964cb21c20",
            ["data"] = new JsonObject { ["value"] = "hello" },
        }))["id"]!;

        var page = await fixture.NewPageAsync();
        var checkedPanels = 0;
        foreach (var path in new[] { "/variables", "/concurrency-limits", "/work-pools", $"/work-pools/{pool}", $"/blocks/block/{block}" })
        {
            await page.GotoAsync(path);
            var summaries = page.Locator("details.create > summary, details.edit > summary");
            var count = await summaries.CountAsync();
            Assert.True(count > 0, $"{path} has no edit panel");
            for (var i = 0; i < count; i++)
            {
                var summary = summaries.Nth(i);
                var details = summary.Locator("xpath=..");
                await summary.ClickAsync();
                await Expect(details).ToHaveJSPropertyAsync("open", true);
                // Typing in the panel's first field, then Escape.
                var input = details.Locator("input:not([type=hidden]), textarea, select").First;
                await input.FocusAsync();
                await page.Keyboard.PressAsync("Escape");
                await Expect(details).ToHaveJSPropertyAsync("open", false);
                await Expect(summary).ToBeFocusedAsync();
                checkedPanels++;
            }
        }

        // New variable, new global and tag limit, new pool, pool edit and new queue, each row's edit, the block's edit.
        Assert.True(checkedPanels >= 9, $"only {checkedPanels} panels were checked");
    }
}
