using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Hardening;
using OrleansFlow.Gateway.Tests.Infrastructure;
using OrleansFlow.Testing;

namespace OrleansFlow.Gateway.Tests.Security;

/// <summary>A server of the test's own with authentication on (the server's admin key <see cref="AdminKey"/>), and calls
/// made as a given key.</summary>
internal sealed class AuthServer : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";

    private AuthServer(OwnServer server, ManualClock clock)
    {
        Server = server;
        Clock = clock;
    }

    public OwnServer Server { get; }

    public ManualClock Clock { get; }

    public static async Task<AuthServer> StartAsync(DatabaseKind kind, Action<ServerOptions>? configure = null)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var server = await OwnServer.StartAsync(kind, clock, options =>
        {
            options.ApiKey = AdminKey;
            configure?.Invoke(options);
        });
        return new AuthServer(server, clock);
    }

    /// <summary>Sends <paramref name="method"/> <c>/api/</c><paramref name="path"/> with <paramref name="body"/> (JSON) and
    /// <paramref name="authorization"/> as the <c>Authorization</c> header (none when null).</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, object? body, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(method, "api/" + path);
        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = authorization;
        return await Server.Api.SendAsync(request);
    }

    public Task<ApiResponse> AsAsync(string? key, HttpMethod method, string path, object? body = null) =>
        SendAsync(method, path, body, key is null ? null : Bearer(key));

    public static AuthenticationHeaderValue Bearer(string key) => new("Bearer", key);

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>Creates a key with <paramref name="role"/> as the admin; returns its id and the key.</summary>
    public async Task<(Guid Id, string Key)> CreateKeyAsync(string role, DateTimeOffset? expires = null)
    {
        var created = (await AsAsync(AdminKey, HttpMethod.Post, "api_keys/", new Dictionary<string, object?>
        {
            ["name"] = $"{role}-{Guid.NewGuid():N}"[..20],
            ["role"] = role,
            ["expires"] = expires,
        })).Expect(HttpStatusCode.Created).Object;
        return (Guid.Parse(created["id"]!.GetValue<string>()), created["key"]!.GetValue<string>());
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    public static JsonObject Parse(string text) => JsonNode.Parse(text)!.AsObject();
}
