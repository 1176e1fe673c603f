using System.Text.Json.Nodes;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

/// <summary>An artifact wider than the page scrolls in its own box, and the keyboard reaches that box (axe's
/// scrollable-region-focusable): table artifacts and markdown's own tables and code blocks alike.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ArtifactScrollTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task WideArtifacts_ScrollInAFocusableRegion()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var columns = Enumerable.Range(0, 40).Select(i => $"column_with_a_long_name_{i}").ToList();
        var markdown = "| " + string.Join(" | ", columns) + " |\n|" + string.Concat(columns.Select(_ => "---|")) + "\n| " + string.Join(" | ", columns) + " |\n\n```\n"
            + new string('x', 600) + "\n```\n";
        var wideMarkdown = (string)(await fixture.Api.PostJsonAsync("artifacts/", new JsonObject
        {
            ["key"] = "wide-markdown-" + suffix, ["type"] = "markdown", ["data"] = markdown,
        }))["id"]!;
        var table = new JsonArray([.. Enumerable.Range(0, 3).Select(_ => (JsonNode)new JsonObject([.. columns.Select(c => KeyValuePair.Create<string, JsonNode?>(c, c))]))]);
        var wideTable = (string)(await fixture.Api.PostJsonAsync("artifacts/", new JsonObject
        {
            ["key"] = "wide-table-" + suffix, ["type"] = "table", ["data"] = table.ToJsonString(),
        }))["id"]!;
        var page = await fixture.NewPageAsync();

        await page.GotoAsync($"/artifacts/{wideMarkdown}");
        await Expect(page.Locator(".markdown table")).ToHaveAttributeAsync("tabindex", "0");
        await Expect(page.Locator(".markdown table")).ToHaveAttributeAsync("role", "region");
        await Expect(page.Locator(".markdown pre")).ToHaveAttributeAsync("tabindex", "0");
        await page.Locator(".markdown table").FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(page.Locator(".markdown table")).Not.ToHaveJSPropertyAsync("scrollLeft", 0);

        await page.GotoAsync($"/artifacts/{wideTable}");
        await Expect(page.Locator("article[data-artifact-type=table] .table-wrap")).ToHaveAttributeAsync("tabindex", "0");
        await Expect(page.Locator("article[data-artifact-type=table] .table-wrap")).ToHaveAttributeAsync("aria-label", $"Artifact wide-table-{suffix} as a table");
    }

    [BrowserFact]
    public async Task NarrowMarkdown_StaysOutOfTheTabOrder()
    {
        var id = (string)(await fixture.Api.PostJsonAsync("artifacts/", new JsonObject
        {
            ["key"] = "narrow-markdown-" + Guid.NewGuid().ToString("N")[..6], ["type"] = "markdown", ["data"] = "| a | b |\n|---|---|\n| 1 | 2 |\n",
        }))["id"]!;
        var page = await fixture.NewPageAsync();

        await page.GotoAsync($"/artifacts/{id}");

        await Expect(page.Locator(".markdown table")).ToBeVisibleAsync();
        await Expect(page.Locator(".markdown table")).Not.ToHaveAttributeAsync("tabindex", "0");
    }
}
