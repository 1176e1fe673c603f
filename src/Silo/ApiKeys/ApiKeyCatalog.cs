using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.ApiKeys;

/// <summary>API keys: created (the key is returned once and only its hash is kept), found by key, listed and revoked.</summary>
public sealed class ApiKeyCatalog(OrleansFlowSilo silo)
{
    /// <summary>Creates a key named <paramref name="name"/> with <paramref name="role"/>, valid until
    /// <paramref name="expires"/> (null: no expiry). Returns the stored key and the key itself, which is not kept.</summary>
    public async Task<(ApiKey Stored, string Key)> CreateAsync(string name, ApiKeyRole role, DateTimeOffset? expires, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var key = ApiKey.NewKey();
        var stored = new ApiKey
        {
            Id = silo.NewId(),
            Name = name,
            Role = role,
            Prefix = key[..12],
            Created = silo.Clock.GetUtcNow(),
            Expires = expires,
        };
        await silo.Database.WriteAsync(async session =>
        {
            await ApiKeyStore.InsertAsync(session, stored, ApiKey.Hash(key), cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return (stored, key);
    }

    /// <summary>The stored key whose SHA-256 is <paramref name="hash"/> (see <see cref="ApiKey.Hash"/>), active or not; null when none.</summary>
    public Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => ApiKeyStore.ByHashAsync(session, hash, cancellationToken), cancellationToken);

    /// <summary>The key with <paramref name="id"/>, or null.</summary>
    public Task<ApiKey?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => ApiKeyStore.ByIdAsync(session, id, cancellationToken), cancellationToken);

    /// <summary>A page of keys, oldest first (revoked and expired ones included).</summary>
    public Task<List<ApiKey>> ListAsync(int limit, int offset, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => ApiKeyStore.ListAsync(session, limit, offset, cancellationToken), cancellationToken);

    /// <summary>Revokes the key with <paramref name="id"/> from now on; false when there is no such key or it was revoked already.</summary>
    public Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(session => ApiKeyStore.RevokeAsync(session, id, silo.Clock.GetUtcNow(), cancellationToken), cancellationToken);

    /// <summary>How many admin keys are neither revoked nor expired.</summary>
    public Task<long> CountActiveAdminsAsync(CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => ApiKeyStore.CountActiveAdminsAsync(session, silo.Clock.GetUtcNow(), cancellationToken), cancellationToken);
}
