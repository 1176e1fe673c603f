using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using OrleansFlow.Silo.ApiKeys;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.Security;

/// <summary>Finds who sent a request from its API key: <c>Authorization: Bearer KEY</c> (Prefect's <c>PREFECT_API_KEY</c>)
/// or <c>Authorization: Basic base64(user:KEY)</c> (Prefect 2's <c>PREFECT_API_AUTH_STRING</c>, the key as the password).
/// The server's own key (<see cref="ServerOptions.ApiKey"/>) is an admin key; other keys are looked up by their SHA-256 and
/// must be neither revoked nor expired.</summary>
internal sealed class Authenticator(ServerOptions options, OrleansFlowSilo silo)
{
    private const int LongestKey = 512;

    private readonly byte[]? _serverKeyHash = options.ApiKey is { Length: > 0 } key ? Encoding.ASCII.GetBytes(ApiKey.Hash(key)) : null;
    private readonly ApiKeyCatalog _keys = new(silo);

    /// <summary>The key <paramref name="request"/> presents, or null when it has no <c>Authorization</c> header.</summary>
    /// <returns>The key, or an empty string when the header is there but not a bearer token or a basic pair.</returns>
    public static string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return null;
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header[7..].Trim();
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                return colon < 0 ? "" : pair[(colon + 1)..];
            }
            catch (FormatException)
            {
                return "";
            }
        }

        return "";
    }

    /// <summary>The principal holding <paramref name="key"/>, or null when the key is unknown, revoked or expired.</summary>
    public Task<AccessPrincipal?> AuthenticateAsync(string key, CancellationToken cancellationToken) =>
        key.Length is 0 or > LongestKey ? Task.FromResult<AccessPrincipal?>(null) : ByHashAsync(ApiKey.Hash(key), cancellationToken);

    /// <summary>The principal holding the key whose SHA-256 is <paramref name="hash"/>, checked again now (a UI session
    /// ends as soon as its key is revoked or expires).</summary>
    public async Task<AccessPrincipal?> ByHashAsync(string hash, CancellationToken cancellationToken)
    {
        if (_serverKeyHash is not null && CryptographicOperations.FixedTimeEquals(_serverKeyHash, Encoding.ASCII.GetBytes(hash)))
        {
            return new AccessPrincipal("server key", ApiKeyRole.Admin, hash);
        }

        var stored = await _keys.FindByHashAsync(hash, cancellationToken).ConfigureAwait(false);
        return stored is not null && stored.IsActive(silo.Clock.GetUtcNow()) ? new AccessPrincipal(stored.Name, stored.Role, hash) : null;
    }
}
