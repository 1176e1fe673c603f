using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Security;

/// <summary>The UI with authentication on, over plain HTTP: pages send a browser without a session to the login page,
/// the login page swaps a valid key for a session cookie (HttpOnly, SameSite=Strict), and every state change made with
/// the session needs the session's CSRF token. (The browser test in OrleansFlow.Ui.Tests does the same with Chromium.)</summary>
public sealed partial class UiSessionTests
{
    public static TheoryData<DatabaseKind> Databases => new() { DatabaseKind.Sqlite, DatabaseKind.Postgres };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Login_WithAKey_GivesASessionWhoseStateChangesNeedTheCsrfToken(DatabaseKind kind)
    {
        await using var server = await AuthServer.StartAsync(kind);
        var (_, readOnly) = await server.CreateKeyAsync("read_only");
        var flow = (await server.AsAsync(AuthServer.AdminKey, HttpMethod.Post, "flows/", new { name = "ui-auth" })).Id;
        var run = (await server.AsAsync(AuthServer.AdminKey, HttpMethod.Post, "flow_runs/", new { flow_id = flow, state = new { type = "RUNNING" } })).Id;

        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.Server.Inner.BaseAddress };

        using (var page = await browser.GetAsync("/runs?state=RUNNING"))
        {
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal("/login?next=%2Fruns%3Fstate%3DRUNNING", page.Headers.Location!.OriginalString);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsync($"/ui/runs/{run}/cancel", null)).StatusCode);

        // A wrong key, a missing form token, then the right key.
        var (wrong, _) = await LoginAsync(browser, "ofk_wrong-key-000000000000");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        using (var noToken = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["api_key"] = AuthServer.AdminKey })))
        {
            Assert.Equal(HttpStatusCode.Forbidden, noToken.StatusCode);
        }

        var (status, setCookies) = await LoginAsync(browser, AuthServer.AdminKey, next: "/runs");
        Assert.Equal(HttpStatusCode.Redirect, status);
        var session = Assert.Single(setCookies, c => c.StartsWith("orleansflow_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        var csrf = cookies.GetCookies(server.Server.Inner.BaseAddress)["orleansflow_csrf"]!.Value;

        (await browser.GetAsync("/runs")).EnsureSuccessStatusCode();
        (await browser.GetAsync($"/api/flow_runs/{run}")).EnsureSuccessStatusCode();

        using (var withoutToken = new HttpRequestMessage(HttpMethod.Post, $"/ui/runs/{run}/cancel"))
        {
            withoutToken.Headers.Add("X-OrleansFlow-Ui", "1");
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(withoutToken)).StatusCode);
        }

        using (var apiWithoutToken = new HttpRequestMessage(HttpMethod.Post, "/api/flows/") { Content = new StringContent("""{"name": "csrf-less"}""", Encoding.UTF8, "application/json") })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(apiWithoutToken)).StatusCode);
        }

        (await server.AsAsync(AuthServer.AdminKey, HttpMethod.Get, $"flow_runs/{run}")).Expect(HttpStatusCode.OK);
        Assert.Equal("RUNNING", (await server.AsAsync(AuthServer.AdminKey, HttpMethod.Get, $"flow_runs/{run}")).Object["state"]!["type"]!.GetValue<string>());

        using (var withToken = new HttpRequestMessage(HttpMethod.Post, $"/ui/runs/{run}/cancel"))
        {
            withToken.Headers.Add("X-OrleansFlow-Ui", "1");
            withToken.Headers.Add("X-CSRF-Token", csrf);
            (await browser.SendAsync(withToken)).EnsureSuccessStatusCode();
        }

        Assert.Equal("CANCELLING", (await server.AsAsync(AuthServer.AdminKey, HttpMethod.Get, $"flow_runs/{run}")).Object["state"]!["type"]!.GetValue<string>());

        // Logging out ends the session.
        using (var logout = new HttpRequestMessage(HttpMethod.Post, "/logout"))
        {
            logout.Headers.Add("X-CSRF-Token", csrf);
            (await browser.SendAsync(logout)).EnsureSuccessStatusCode();
        }

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/runs")).StatusCode);

        // A read-only key's session reads, but its run actions get 403 even with the token.
        using var reader = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = server.Server.Inner.BaseAddress };
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(reader, readOnly)).Status);
        (await reader.GetAsync($"/runs/{run}")).EnsureSuccessStatusCode();
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Session_EndsWhenItsKeyIsRevoked(DatabaseKind kind)
    {
        await using var server = await AuthServer.StartAsync(kind);
        var (id, key) = await server.CreateKeyAsync("runner");
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = server.Server.Inner.BaseAddress };
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(browser, key)).Status);
        (await browser.GetAsync("/flows")).EnsureSuccessStatusCode();
        (await server.AsAsync(AuthServer.AdminKey, HttpMethod.Delete, $"api_keys/{id}")).Expect(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/flows")).StatusCode);
    }

    [Fact]
    public void Local_KeepsOnlyPathsOnThisServer()
    {
        Assert.Equal("/runs?x=1", Gateway.Security.LoginEndpoints.Local("/runs?x=1"));
        Assert.Equal("/", Gateway.Security.LoginEndpoints.Local("//evil.example/x"));
        Assert.Equal("/", Gateway.Security.LoginEndpoints.Local("/\\evil.example"));
        Assert.Equal("/", Gateway.Security.LoginEndpoints.Local("https://evil.example/"));
        Assert.Equal("/", Gateway.Security.LoginEndpoints.Local(null));
    }

    /// <summary>Fetches the login page (for its form token and cookie) and posts <paramref name="key"/>.</summary>
    private static async Task<(HttpStatusCode Status, List<string> SetCookies)> LoginAsync(HttpClient browser, string key, string next = "/")
    {
        var page = await browser.GetStringAsync("/login");
        var token = FormToken().Match(page).Groups[1].Value;
        using var response = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["csrf"] = token,
            ["next"] = next,
            ["api_key"] = key,
        }));
        return (response.StatusCode, response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : []);
    }

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
