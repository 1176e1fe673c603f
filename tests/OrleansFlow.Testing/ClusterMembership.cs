using Npgsql;

namespace OrleansFlow.Testing;

/// <summary>Reads the Orleans membership table of a PostgreSQL database (migration <c>0010_orleans_clustering</c>).</summary>
public static class ClusterMembership
{
    /// <summary>How many silos of cluster <paramref name="clusterId"/> the table lists as Active.</summary>
    public static async Task<long> ActiveSilosAsync(PostgresTestDatabase database, string clusterId)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = @cluster AND Status = 3", connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        return (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    /// <summary>The silos of cluster <paramref name="clusterId"/> by name, with their Orleans status
    /// (<c>Active</c>, <c>Dead</c>, …), the latest entry of each name.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> SilosByNameAsync(PostgresTestDatabase database, string clusterId)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT SiloName, Status FROM OrleansMembershipTable WHERE DeploymentId = @cluster ORDER BY StartTime", connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        var silos = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            silos[reader.GetString(0)] = ((Orleans.Runtime.SiloStatus)reader.GetInt32(1)).ToString();
        }

        return silos;
    }
}
