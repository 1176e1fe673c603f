using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using OrleansFlow.Testing;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

/// <summary>The UI of a server with authentication on, in Chromium: the login page, a wrong key refused, the right key
/// showing the dashboard, run actions and API forms carrying the session's CSRF token, and a state change without it
/// refused.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LoginTests(BrowserFixture fixture)
{
    private const string AdminKey = "ui-admin-key-0123456789abcdef";

    [BrowserFact]
    public async Task Login_WrongKeyRefused_RightKeyShowsDashboard_StateChangesNeedTheCsrfToken()
    {
        await using var server = await InProcessServer.StartAsync(configure: options =>
        {
            options.BackgroundProcesses = false;
            options.ApiKey = AdminKey;
        });
        using var http = server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var api = new ApiData(http);
        var flow = await api.FlowAsync("secured-flow");
        var first = await api.FlowRunAsync(flow, "secured-run-1", "RUNNING");
        var second = await api.FlowRunAsync(flow, "secured-run-2", "RUNNING");

        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString() });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\?next=%2F$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log in" })).ToBeVisibleAsync();

        await page.GetByLabel("API key").FillAsync("ofk_not-a-key-at-all-000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid");
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "orleansflow_session");

        await page.GetByLabel("API key").FillAsync(AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        var session = Assert.Single(await context.CookiesAsync(), c => c.Name == "orleansflow_session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);

        // The page's own action sends the token and works.
        await page.GotoAsync($"/runs/{first}");
        await page.GetByRole(AriaRole.Button, new() { Name = "⊘ Cancel" }).ClickAsync();
        await Expect(page.Locator("#run-state")).ToContainTextAsync("Cancelling");

        // The same request without the token (what a forged request would be) is refused and changes nothing.
        var status = await page.EvaluateAsync<int>(
            "id => fetch('/ui/runs/' + id + '/cancel', { method: 'POST', headers: { 'X-OrleansFlow-Ui': '1' } }).then(r => r.status)", second.ToString());
        Assert.Equal(403, status);
        var apiStatus = await page.EvaluateAsync<int>(
            "() => fetch('/api/flows/', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'forged' }) }).then(r => r.status)");
        Assert.Equal(403, apiStatus);
        var run = JsonNode.Parse(await http.GetStringAsync($"flow_runs/{second}"))!;
        Assert.Equal("RUNNING", (string)run["state"]!["type"]!);

        // The pages' forms call the API with the session and its token: a variable made on the variables page is stored.
        await page.GotoAsync("/variables");
        var form = page.Locator("#variable-new");
        await form.GetByLabel("Name").FillAsync("made_while_logged_in");
        await form.GetByLabel("Value").FillAsync("yes");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page.Locator("tr[data-variable=made_while_logged_in]")).ToBeVisibleAsync();
        Assert.Equal("yes", (string)JsonNode.Parse(await http.GetStringAsync("variables/name/made_while_logged_in"))!["value"]!);

        // Logging out ends the session: pages go back to the login page.
        await page.GotoAsync("/flows");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await page.GotoAsync("/flows");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log in" })).ToBeVisibleAsync();
    }
}
