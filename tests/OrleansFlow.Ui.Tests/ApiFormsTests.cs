using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

/// <summary>The create, edit and delete forms of the variables, concurrency limits and work pool pages, which call the
/// HTTP API from the page: each change is checked through the API, and the API's refusals show next to their field.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ApiFormsTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task Variables_CreateEditDelete_ThroughTheApi()
    {
        var name = "ui_var_" + Guid.NewGuid().ToString("N")[..6];
        var page = await fixture.NewPageAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync("/variables");

        await OpenAsync(page, "+ New variable");
        var form = page.Locator("#variable-new");
        await form.GetByLabel("Name").FillAsync(name);
        await form.GetByLabel("Value").FillAsync("s3://bucket-one");
        await form.GetByLabel("Tags").FillAsync("prod, storage");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        var row = page.Locator($"tr[data-variable='{name}']");
        await Expect(row.Locator("td.value")).ToHaveTextAsync("s3://bucket-one");
        var stored = await GetJsonAsync($"variables/name/{name}");
        Assert.Equal("s3://bucket-one", (string)stored["value"]!);
        Assert.Equal(["prod", "storage"], stored["tags"]!.AsArray().Select(t => (string)t!));

        await row.GetByText("Edit").ClickAsync();
        var edit = row.Locator("form");
        await edit.GetByLabel("Value").FillAsync("s3://bucket-two");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator($"tr[data-variable='{name}'] td.value")).ToHaveTextAsync("s3://bucket-two");
        Assert.Equal("s3://bucket-two", (string)(await GetJsonAsync($"variables/name/{name}"))["value"]!);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete {name}" }).ClickAsync();
        await Expect(page.Locator($"tr[data-variable='{name}']")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"variables/name/{name}"));
    }

    [BrowserFact]
    public async Task Variables_RefusedInput_ShowsTheApiErrorAtTheField_AndStoresNothing()
    {
        var name = "ui_dup_" + Guid.NewGuid().ToString("N")[..6];
        await fixture.Api.PostJsonAsync("variables/", new JsonObject { ["name"] = name, ["value"] = "first" });
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/variables");
        await OpenAsync(page, "+ New variable");
        var form = page.Locator("#variable-new");

        // Too long a value: the API's 422 names the field, and the message shows under it.
        await form.GetByLabel("Name").FillAsync(name + "_long");
        await form.GetByLabel("Value").FillAsync(new string('x', 5001));
        await form.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(form.Locator(".field[data-field=value] .field-error")).ToBeVisibleAsync();
        await Expect(form.GetByLabel("Value")).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"variables/name/{name}_long"));

        // A required field left empty is refused before anything is sent: editing a value to nothing keeps the value.
        var row = page.Locator($"tr[data-variable='{name}']");
        await row.GetByText("Edit").ClickAsync();
        await row.Locator("form").GetByLabel("Value").FillAsync("");
        await row.Locator("form").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(row.Locator("form .field[data-field=value] .field-error")).ToHaveTextAsync("Required.");
        Assert.Equal("first", (string)(await GetJsonAsync($"variables/name/{name}"))["value"]!);

        // A taken name: the API's 409 shows above the form.
        await form.GetByLabel("Name").FillAsync(name);
        await form.GetByLabel("Value").FillAsync("second");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(form.Locator(".form-error")).ToContainTextAsync("already exists");
        Assert.Equal("first", (string)(await GetJsonAsync($"variables/name/{name}"))["value"]!);
    }

    [BrowserFact]
    public async Task ConcurrencyLimits_GlobalAndTagLimits_CreateToggleEditDelete()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var global = "ui-global-" + suffix;
        var tag = "ui-tag-" + suffix;
        var page = await fixture.NewPageAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync("/concurrency-limits");

        await OpenAsync(page, "+ New global limit");
        var form = page.Locator("#global-new");
        await form.GetByLabel("Name").FillAsync(global);
        await form.GetByLabel("Slots").FillAsync("3");
        await form.GetByLabel("Decay per second").FillAsync("0.5");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var row = page.Locator($"tr[data-global-limit='{global}']");
        await Expect(row).ToContainTextAsync("Active");
        var stored = await GetJsonAsync($"v2/concurrency_limits/{global}");
        Assert.Equal(3, (int)stored["limit"]!);
        Assert.Equal(0.5, (double)stored["slot_decay_per_second"]!);
        Assert.True((bool)stored["active"]!);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Deactivate {global}" }).ClickAsync();
        await Expect(page.Locator($"tr[data-global-limit='{global}']")).ToContainTextAsync("Inactive");
        Assert.False((bool)(await GetJsonAsync($"v2/concurrency_limits/{global}"))["active"]!);

        row = page.Locator($"tr[data-global-limit='{global}']");
        await row.GetByText("Edit").ClickAsync();
        await row.Locator("form").GetByLabel("Slots").FillAsync("5");
        await row.Locator("form").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator($"tr[data-global-limit='{global}']")).ToContainTextAsync("/ 5");
        Assert.Equal(5, (int)(await GetJsonAsync($"v2/concurrency_limits/{global}"))["limit"]!);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete {global}" }).ClickAsync();
        await Expect(page.Locator($"tr[data-global-limit='{global}']")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"v2/concurrency_limits/{global}"));

        await OpenAsync(page, "+ New tag limit");
        var tagForm = page.Locator("#tag-new");
        await tagForm.GetByLabel("Tag").FillAsync(tag);
        await tagForm.GetByLabel("Slots").FillAsync("-1");
        await tagForm.GetByRole(AriaRole.Button, new() { Name = "Create or update" }).ClickAsync();
        await Expect(tagForm.Locator(".field[data-field=concurrency_limit] .field-error")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"concurrency_limits/tag/{tag}"));

        await tagForm.GetByLabel("Slots").FillAsync("2");
        await tagForm.GetByRole(AriaRole.Button, new() { Name = "Create or update" }).ClickAsync();
        await Expect(page.Locator($"tr[data-tag='{tag}']")).ToContainTextAsync("0 / 2");
        Assert.Equal(2, (int)(await GetJsonAsync($"concurrency_limits/tag/{tag}"))["concurrency_limit"]!);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete the limit on {tag}" }).ClickAsync();
        await Expect(page.Locator($"tr[data-tag='{tag}']")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"concurrency_limits/tag/{tag}"));
    }

    [BrowserFact]
    public async Task WorkPools_CreatePauseQueuesAndDelete()
    {
        var pool = "ui-pool-" + Guid.NewGuid().ToString("N")[..6];
        var page = await fixture.NewPageAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync("/work-pools");

        await OpenAsync(page, "+ New work pool");
        var form = page.Locator("#pool-new");
        await form.GetByLabel("Name").FillAsync(pool);
        await form.GetByLabel("Concurrency limit").FillAsync("4");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page.Locator($"section[id='pool-{pool}']")).ToBeVisibleAsync();
        var stored = await GetJsonAsync($"work_pools/{pool}");
        Assert.Equal("process", (string)stored["type"]!);
        Assert.Equal(4, (int)stored["concurrency_limit"]!);

        await page.GotoAsync($"/work-pools/{pool}");
        await page.GetByRole(AriaRole.Button, new() { Name = "‖ Pause pool" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "▶ Resume pool" })).ToBeVisibleAsync();
        Assert.True((bool)(await GetJsonAsync($"work_pools/{pool}"))["is_paused"]!);

        // Emptying the limit in the edit form clears it (null), rather than leaving it as it was.
        await OpenAsync(page, "Edit pool");
        await Expect(page.Locator("#pool-form").GetByLabel("Concurrency limit")).ToHaveValueAsync("4");
        await page.Locator("#pool-form").GetByLabel("Concurrency limit").FillAsync("");
        await page.Locator("#pool-form").GetByLabel("Description").FillAsync("the pool for the UI test");
        await page.Locator("#pool-form").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        // The page shows again (the form closed) once the API answered.
        await Expect(page.Locator("#pool-edit")).ToHaveJSPropertyAsync("open", false);
        await Expect(page.Locator("#pool-form").GetByLabel("Description")).ToHaveValueAsync("the pool for the UI test");
        var edited = await GetJsonAsync($"work_pools/{pool}");
        Assert.Null(edited["concurrency_limit"]);
        Assert.Equal("the pool for the UI test", (string)edited["description"]!);

        await OpenAsync(page, "+ New queue");
        var queueForm = page.Locator("#queue-new");
        await queueForm.GetByLabel("Name").FillAsync("urgent");
        await queueForm.GetByLabel("Priority").FillAsync("1");
        await queueForm.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page.Locator("tr[data-queue=urgent]")).ToBeVisibleAsync();
        Assert.Equal(1, (int)(await GetJsonAsync($"work_pools/{pool}/queues/urgent"))["priority"]!);

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause queue urgent" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume queue urgent" })).ToBeVisibleAsync();
        Assert.True((bool)(await GetJsonAsync($"work_pools/{pool}/queues/urgent"))["is_paused"]!);

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete queue urgent" }).ClickAsync();
        await Expect(page.Locator("tr[data-queue=urgent]")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"work_pools/{pool}/queues/urgent"));

        await page.GetByRole(AriaRole.Button, new() { Name = "✕ Delete" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/work-pools$"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"work_pools/{pool}"));
    }

    [BrowserFact]
    public async Task Forms_AtPhoneWidth_OpenWithoutWideningThePage()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var pool = "ui-narrow-pool-" + suffix;
        await fixture.Api.PostJsonAsync("work_pools/", new JsonObject { ["name"] = pool, ["type"] = "process" });
        await fixture.Api.PostJsonAsync("variables/", new JsonObject { ["name"] = "ui_narrow_" + suffix, ["value"] = "a value that is fairly long to show", ["tags"] = new JsonArray("one", "two") });
        await fixture.Api.PostJsonAsync("v2/concurrency_limits/", new JsonObject { ["name"] = "ui-narrow-global-" + suffix, ["limit"] = 2 });
        var page = await fixture.NewPageAsync(width: 390, height: 800);
        foreach (var path in new[] { "/variables", "/concurrency-limits", "/work-pools", $"/work-pools/{pool}" })
        {
            await page.GotoAsync(path);
            foreach (var summary in await page.Locator("details.create > summary, details.edit > summary").AllAsync())
            {
                await summary.ClickAsync();
            }

            var (scroll, client) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("document.documentElement.clientWidth"));
            // What sticks out (the navigation's own strip scrolls, so its links may).
            var wide = await page.EvaluateAsync<string>(
                "Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right + window.scrollX > document.documentElement.clientWidth + 1 && !e.closest('nav'))"
                + ".slice(0, 5).map(e => e.tagName + '.' + e.className).join(', ')");
            Assert.True(scroll <= client, $"{path} is {scroll} px wide in a {client} px window: {wide}");
        }
    }

    [BrowserFact]
    public async Task FlowRunNotifications_CreatePauseResumeDelete_ThroughTheApi()
    {
        var blockName = "ui-slack-" + Guid.NewGuid().ToString("N")[..6];
        var tag = "ui-notify-" + Guid.NewGuid().ToString("N")[..6];
        var type = await GetJsonAsync("block_types/slug/slack-webhook");
        var schemas = await fixture.Api.Http.PostAsJsonAsync("block_schemas/filter", new JsonObject
        {
            ["block_schemas"] = new JsonObject { ["block_type_id"] = new JsonObject { ["any_"] = new JsonArray((string)type["id"]!) } },
        });
        var schema = JsonNode.Parse(await schemas.Content.ReadAsStringAsync())!.AsArray()[0]!;
        var block = await fixture.Api.PostJsonAsync("block_documents/", new JsonObject
        {
            ["name"] = blockName,
            ["block_type_id"] = (string)type["id"]!,
            ["block_schema_id"] = (string)schema["id"]!,
            ["data"] = new JsonObject { ["url"] = "https://example.invalid/hook" },
        });
        var page = await fixture.NewPageAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync("/automations");

        // An unknown placeholder: the API's 422 shows under the message field, and nothing is stored.
        await OpenAsync(page, "+ New notification");
        var form = page.Locator("#notification-new");
        await form.GetByLabel("States").FillAsync("Failed, Crashed");
        await form.GetByLabel("Run tags").FillAsync(tag);
        await form.GetByLabel("Send through").SelectOptionAsync((string)block["id"]!);
        await form.GetByLabel("Message").FillAsync("{flow_run_name} {nope}");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(form.Locator(".field[data-field=message_template] .field-error")).ToContainTextAsync("Invalid template variable provided: 'nope'");
        Assert.Null(await PolicyWithTagAsync(tag));

        await form.GetByLabel("Message").FillAsync("{flow_run_name} is {flow_run_state_name}");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page.Locator("tr[data-policy] td.states", new() { HasTextString = "Failed, Crashed" })).Not.ToHaveCountAsync(0);
        var policy = await PolicyWithTagAsync(tag) ?? throw new Xunit.Sdk.XunitException("the policy was not stored");
        var id = (string)policy["id"]!;
        Assert.Equal(["Failed", "Crashed"], policy["state_names"]!.AsArray().Select(n => (string)n!));
        Assert.Equal((string)block["id"]!, (string)policy["block_document_id"]!);
        Assert.Equal("{flow_run_name} is {flow_run_state_name}", (string)policy["message_template"]!);
        var row = page.Locator($"tr[data-policy='{id}']");

        await row.GetByRole(AriaRole.Button, new() { Name = "Pause the notification on Failed, Crashed" }).ClickAsync();
        await Expect(page.Locator($"tr[data-policy='{id}'] td.status")).ToContainTextAsync("Paused");
        Assert.False((bool)(await GetJsonAsync($"flow_run_notification_policies/{id}"))["is_active"]!);
        await page.Locator($"tr[data-policy='{id}']").GetByRole(AriaRole.Button, new() { Name = "Resume the notification on Failed, Crashed" }).ClickAsync();
        await Expect(page.Locator($"tr[data-policy='{id}'] td.status")).ToContainTextAsync("Active");
        Assert.True((bool)(await GetJsonAsync($"flow_run_notification_policies/{id}"))["is_active"]!);

        await page.Locator($"tr[data-policy='{id}']").GetByRole(AriaRole.Button, new() { Name = "Delete the notification on Failed, Crashed" }).ClickAsync();
        await Expect(page.Locator($"tr[data-policy='{id}']")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"flow_run_notification_policies/{id}"));
    }

    private async Task<JsonObject?> PolicyWithTagAsync(string tag)
    {
        using var response = await fixture.Api.Http.PostAsJsonAsync("flow_run_notification_policies/filter", new JsonObject());
        var policies = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        return policies.Select(p => p!.AsObject()).FirstOrDefault(p => p["tags"]!.AsArray().Any(t => (string)t! == tag));
    }

    private static async Task OpenAsync(IPage page, string summary)
    {
        var details = page.Locator("details.create", new() { Has = page.Locator("summary", new() { HasTextString = summary }) });
        if (await details.GetAttributeAsync("open") is null)
        {
            await details.Locator("summary").ClickAsync();
        }
    }

    private async Task<JsonObject> GetJsonAsync(string path) =>
        JsonNode.Parse(await fixture.Api.Http.GetStringAsync(path))!.AsObject();

    private async Task<HttpStatusCode> StatusAsync(string path)
    {
        using var response = await fixture.Api.Http.GetAsync(path);
        return response.StatusCode;
    }
}
