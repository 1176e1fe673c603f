using System.Net;
using System.Text;
using OrleansFlow.Gateway.Tests.Hardening;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Security;

/// <summary>Issue 13's door checks that need no key: API bodies are JSON only (a cross-site <c>text/plain</c> POST used
/// to create objects), and a Host header the server does not answer to gets 400 (DNS rebinding).</summary>
public sealed class DoorTests
{
    public static TheoryData<DatabaseKind> Databases => new() { DatabaseKind.Sqlite, DatabaseKind.Postgres };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task CrossSiteTextPlainPost_Answers415NamingTheType_AndCreatesNothing(DatabaseKind kind)
    {
        await using var server = await OwnServer.StartAsync(kind);
        var api = server.Api;
        var before = await api.CountAsync("flows");
        var refused = new List<string>();
        foreach (var (contentType, body) in new (string?, string)[]
        {
            ("text/plain", """{"name": "evil-flow"}"""),
            ("application/x-www-form-urlencoded", "name=evil-flow"),
            ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nevil-flow\r\n--x--\r\n"),
            ("application/json; charset=latin1", """{"name": "evil-flow"}"""),
            (null, """{"name": "evil-flow"}"""),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/flows/") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            request.Headers.Add("Origin", "http://evil.example");
            var response = await api.SendAsync(request);
            Assert.True(response.Status == HttpStatusCode.UnsupportedMediaType, $"{contentType}: expected 415, got {response}");
            refused.Add(response.Body!["detail"]!.GetValue<string>());
        }

        Assert.Contains("text/plain", refused[0], StringComparison.Ordinal);
        Assert.Contains("application/x-www-form-urlencoded", refused[1], StringComparison.Ordinal);
        Assert.Contains("latin1", refused[3], StringComparison.Ordinal);
        Assert.Contains("no Content-Type", refused[4], StringComparison.Ordinal);
        Assert.Equal(before, await api.CountAsync("flows"));
        Assert.Empty(await api.FilterIdsAsync("flows", new { flows = new { name = new { any_ = new[] { "evil-flow" } } } }));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task JsonBodies_InEveryFormPrefectSends_AreRead(DatabaseKind kind)
    {
        await using var server = await OwnServer.StartAsync(kind);
        var api = server.Api;
        var names = new List<string>();
        foreach (var contentType in new[] { "application/json", "application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json" })
        {
            var name = "json-" + names.Count;
            names.Add(name);
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/flows/") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes($$"""{"name": "{{name}}"}""")) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            (await api.SendAsync(request)).Expect(HttpStatusCode.Created);
        }

        // Bodiless writes (set_schedule_active, a bare POST) need no Content-Type.
        using var bare = new HttpRequestMessage(HttpMethod.Post, "api/flows/filter");
        (await api.SendAsync(bare)).Expect(HttpStatusCode.OK);
        Assert.Equal(names.Count, (await api.FilterIdsAsync("flows", new { flows = new { name = new { any_ = names } } })).Count);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task UnknownHostHeader_Answers400_KnownNamesAndConfiguredOnesAreServed(DatabaseKind kind)
    {
        await using var server = await OwnServer.StartAsync(kind, configure: options => options.AllowedHosts.Add("flows.internal"));
        var api = server.Api;
        var port = server.Inner.BaseAddress.Port;
        foreach (var host in new[] { "evil.example", $"evil.example:{port}", "127.0.0.2", "localhost.evil.example" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/block_documents/" + Guid.NewGuid() + "?include_secrets=true");
            request.Headers.Host = host;
            var response = await api.SendAsync(request);
            Assert.True(response.Status == HttpStatusCode.BadRequest, $"Host {host}: expected 400, got {response}");
            Assert.Contains("Host", response.Text, StringComparison.Ordinal);
        }

        foreach (var host in new[] { $"localhost:{port}", $"127.0.0.1:{port}", $"[::1]:{port}", "flows.internal", $"FLOWS.internal:{port}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/health");
            request.Headers.Host = host;
            (await api.SendAsync(request)).Expect(HttpStatusCode.OK);
        }

        // The UI is behind the same check.
        using var page = new HttpRequestMessage(HttpMethod.Get, "/runs");
        page.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(page)).Status);
    }

    [Fact]
    public async Task AllowedHostsStar_ServesAnyHost()
    {
        await using var server = await OwnServer.StartAsync(DatabaseKind.Sqlite, configure: options => options.AllowedHosts.Add("*"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/health");
        request.Headers.Host = "anything.example";
        (await server.Api.SendAsync(request)).Expect(HttpStatusCode.OK);
    }
}
