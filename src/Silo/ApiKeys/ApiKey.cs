using System.Security.Cryptography;
using System.Text;

namespace OrleansFlow.Silo.ApiKeys;

/// <summary>An API key as stored: never the key itself, only its SHA-256 and its first characters (to recognise it).</summary>
public sealed record ApiKey
{
    /// <summary>The prefix of every key this server makes (the rest is 32 random bytes, base64url).</summary>
    public const string KeyPrefix = "ofk_";

    /// <summary>The key's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>Who or what holds it, e.g. <c>worker-eu-1</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What it may do.</summary>
    public required ApiKeyRole Role { get; init; }

    /// <summary>The key's first 12 characters, e.g. <c>ofk_AbC12xYz</c>: enough to tell keys apart, not to use one.</summary>
    public required string Prefix { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it stops working; null for never.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>When it was revoked; null while it is not.</summary>
    public DateTimeOffset? Revoked { get; init; }

    /// <summary>True when the key is neither revoked nor expired at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => Revoked is null && (Expires is null || Expires > now);

    /// <summary>The stored form of <paramref name="key"/>: its SHA-256 as lower-case hex. Keys are high-entropy random
    /// strings, so a plain hash is enough (no salt or slow hash is needed to resist guessing).</summary>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>A new key: <see cref="KeyPrefix"/> and 32 random bytes from the system's cryptographic generator.</summary>
    public static string NewKey() =>
        KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
