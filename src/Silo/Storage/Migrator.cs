using System.Globalization;

namespace OrleansFlow.Silo.Storage;

/// <summary>Applies the embedded numbered migrations of the database's dialect, once each, under a lock
/// (an advisory lock on PostgreSQL, the write lock on SQLite), so concurrent starts are safe.</summary>
internal static class Migrator
{
    private const long AdvisoryLockKey = 0x4F726C65616E73; // "Orleans"

    public static Task MigrateAsync(Database database, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            if (session.IsPostgres)
            {
                await using var lockCommand = session.Text("SELECT pg_advisory_xact_lock(@key)").Add("key", AdvisoryLockKey);
                await lockCommand.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var create = session.Text(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"))
            {
                await create.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            HashSet<int> applied;
            await using (var read = session.Text("SELECT version FROM schema_migrations"))
            {
                applied = [.. await read.ListAsync(r => System.Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false)];
            }

            foreach (var (version, name, sql) in SqlCatalog.Migrations(database.Dialect))
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await using (var migrate = session.Text(sql))
                {
                    await migrate.ExecuteAsync(cancellationToken).ConfigureAwait(false);
                }

                await using var record = session.Text("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)")
                    .Add("v", version).Add("n", name).Add("t", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                await record.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
}
