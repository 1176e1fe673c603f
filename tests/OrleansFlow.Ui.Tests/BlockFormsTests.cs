using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

/// <summary>Blocks made, edited and deleted from the UI: a type chosen from the catalog, a form generated from its
/// schema, sent to the block documents API; each change checked through the API.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class BlockFormsTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task SecretBlock_CreateFromTheCatalog_EditKeepsTheSecretUnlessChanged_Delete()
    {
        var name = "ui-secret-" + Guid.NewGuid().ToString("N")[..6];
        var page = await fixture.NewPageAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync("/variables");
        await page.GetByRole(AriaRole.Link, new() { Name = "+ New block" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Secret", Exact = true }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("New Secret block");

        var form = page.Locator("#block-new");
        var value = form.Locator("#block-new-data-value");
        await Expect(value).ToHaveAttributeAsync("type", "password");
        await form.GetByLabel("Block name").FillAsync(name);
        await value.FillAsync("hunter2");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        // The new block's page opens, the secret not shown.
        await Expect(page).ToHaveURLAsync(BlockPage());
        var id = BlockPage().Match(page.Url).Groups[1].Value;
        await Expect(page.Locator("h1")).ToContainTextAsync(name);
        await Expect(page.Locator("tr[data-block-field=value] td")).ToHaveTextAsync("********");
        Assert.DoesNotContain("hunter2", await page.ContentAsync());
        Assert.Equal("hunter2", (string)(await SecretDataAsync(id))["value"]!);

        // Saved as it is (the obfuscated value), the secret is kept; changed, it is replaced.
        await page.GetByText("Edit block").ClickAsync();
        await page.Locator("#block-form").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("#block-edit")).ToHaveJSPropertyAsync("open", false);
        Assert.Equal("hunter2", (string)(await SecretDataAsync(id))["value"]!);
        await page.GetByText("Edit block").ClickAsync();
        await page.Locator("#block-form-data-value").FillAsync("correct-horse");
        await page.Locator("#block-form").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("#block-edit")).ToHaveJSPropertyAsync("open", false);
        Assert.Equal("correct-horse", (string)(await SecretDataAsync(id))["value"]!);

        // Listed, and deleted from its page.
        await page.GotoAsync("/variables");
        await page.Locator($"tr[data-block='{name}']").GetByRole(AriaRole.Link).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "✕ Delete" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/variables#blocks-h$"));
        await Expect(page.Locator($"tr[data-block='{name}']")).ToHaveCountAsync(0);
        using var gone = await fixture.Api.Http.GetAsync($"block_documents/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [BrowserFact]
    public async Task ProcessBlock_FieldsFollowTheSchema_RefusalsShowAtTheirField_ThenItIsCreated()
    {
        var name = "ui-process-" + Guid.NewGuid().ToString("N")[..6];
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/blocks/catalog/process/create");
        var form = page.Locator("#block-new");

        // An enum is a choice (its default chosen), a boolean a checkbox, a list or mapping JSON, a string a text box.
        await Expect(form.Locator("select#block-new-data-type")).ToHaveValueAsync("\"process\"");
        await Expect(form.Locator("#block-new-data-stream_output")).ToBeCheckedAsync();
        await Expect(form.Locator("textarea#block-new-data-command")).ToBeVisibleAsync();
        await Expect(form.Locator("input#block-new-data-working_dir")).ToHaveAttributeAsync("type", "text");

        // The API refuses the name: its 422 shows under the name field, and nothing is stored.
        await form.GetByLabel("Block name").FillAsync("Not A Slug");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(form.Locator(".field[data-field=name] .field-error")).ToContainTextAsync("lowercase letters");
        await Expect(form.GetByLabel("Block name")).ToHaveAttributeAsync("aria-invalid", "true");

        // JSON that does not parse is said so under its field before anything is sent.
        await form.GetByLabel("Block name").FillAsync(name);
        await form.Locator("#block-new-data-command").FillAsync("[\"python\", ");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(form.Locator(".field[data-field='data.command'] .field-error")).ToContainTextAsync("Not valid JSON");
        await Expect(form.Locator("#block-new-data-command")).ToBeFocusedAsync();
        await Expect(form.Locator(".field[data-field=name] .field-error")).ToBeHiddenAsync();

        await form.Locator("#block-new-data-command").FillAsync("[\"python\", \"etl.py\"]");
        await form.Locator("#block-new-data-env").FillAsync("{\"STAGE\": \"prod\"}");
        await form.Locator("#block-new-data-stream_output").UncheckAsync();
        await form.Locator("#block-new-data-working_dir").FillAsync("/srv/etl");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(BlockPage());
        var data = await SecretDataAsync(BlockPage().Match(page.Url).Groups[1].Value);
        Assert.Equal("process", (string)data["type"]!);
        Assert.Equal(["python", "etl.py"], data["command"]!.AsArray().Select(c => (string)c!));
        Assert.Equal("prod", (string)data["env"]!["STAGE"]!);
        Assert.False((bool)data["stream_output"]!);
        Assert.Equal("/srv/etl", (string)data["working_dir"]!);
        // Fields left empty are left out (the block's defaults apply).
        Assert.False(data.ContainsKey("name"));
        Assert.False(data.ContainsKey("labels"));
        await Expect(page.Locator("tr[data-block-field=working_dir] td")).ToHaveTextAsync("/srv/etl");
    }

    [Fact]
    public async Task UnknownBlockTypeAndBlock_Answer404WithTheirMessage()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        using var type = await http.GetAsync("blocks/catalog/no-such-type/create");
        Assert.Equal(HttpStatusCode.NotFound, type.StatusCode);
        Assert.Contains("Block type not found", await type.Content.ReadAsStringAsync());
        using var block = await http.GetAsync($"blocks/block/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, block.StatusCode);
        Assert.Contains("Block not found", await block.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("/blocks/block/([0-9a-f-]{36})$")]
    private static partial Regex BlockPage();

    private async Task<JsonObject> SecretDataAsync(string id) =>
        JsonNode.Parse(await fixture.Api.Http.GetStringAsync($"block_documents/{id}?include_secrets=true"))!["data"]!.AsObject();
}
