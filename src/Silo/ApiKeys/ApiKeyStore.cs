using System.Data.Common;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.ApiKeys;

/// <summary>Rows of <c>api_keys</c>.</summary>
internal static class ApiKeyStore
{
    public static async Task InsertAsync(DbSession session, ApiKey key, string hash, CancellationToken cancellationToken)
    {
        await using var command = session.Named("api_keys.insert")
            .Add("id", key.Id).Add("name", key.Name).Add("role", ApiKeyRoles.Name(key.Role)).Add("hash", hash).Add("prefix", key.Prefix)
            .Add("created", key.Created).Add("expires", key.Expires);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<ApiKey?> ByHashAsync(DbSession session, string hash, CancellationToken cancellationToken)
    {
        await using var command = session.Named("api_keys.by_hash").Add("hash", hash);
        return await command.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<ApiKey?> ByIdAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("api_keys.by_id").Add("id", id);
        return await command.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<List<ApiKey>> ListAsync(DbSession session, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var command = session.Named("api_keys.list").Add("limit", limit).Add("offset", offset);
        return await command.ListAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<bool> RevokeAsync(DbSession session, Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = session.Named("api_keys.revoke").Add("id", id).Add("now", now);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public static async Task<long> CountActiveAdminsAsync(DbSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = session.Named("api_keys.count_active_admins").Add("now", now);
        return await command.CountAsync(cancellationToken).ConfigureAwait(false);
    }

    private static ApiKey Map(DbDataReader reader) => new()
    {
        Id = Rows.Guid(reader, 0),
        Name = reader.GetString(1),
        Role = ApiKeyRoles.TryParse(reader.GetString(2), out var role) ? role : throw new InvalidDataException($"api_keys.role holds '{reader.GetString(2)}'."),
        Prefix = reader.GetString(3),
        Created = Rows.Time(reader, 4),
        Expires = Rows.NullableTime(reader, 5),
        Revoked = Rows.NullableTime(reader, 6),
    };
}
