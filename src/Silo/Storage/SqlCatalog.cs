using System.Collections.Concurrent;
using System.Reflection;

namespace OrleansFlow.Silo.Storage;

/// <summary>The SQL statements embedded in this assembly, by name: <c>Sql/{dialect}/{name}.sql</c> when a dialect
/// needs its own text, else <c>Sql/common/{name}.sql</c>.</summary>
internal static class SqlCatalog
{
    private static readonly Assembly Assembly = typeof(SqlCatalog).Assembly;
    private static readonly ConcurrentDictionary<(SqlDialect, string), string> Cache = new();

    public static string Get(SqlDialect dialect, string name) => Cache.GetOrAdd((dialect, name), static key =>
        Read($"Sql/{Folder(key.Item1)}/{key.Item2}.sql")
        ?? Read($"Sql/common/{key.Item2}.sql")
        ?? throw new InvalidOperationException($"No SQL statement named '{key.Item2}' for {key.Item1}."));

    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations(SqlDialect dialect)
    {
        var prefix = $"Migrations/{Folder(dialect)}/";
        return [.. Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..^4];
                var version = int.Parse(file[..file.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
                return (version, file, Read(n)!);
            })
            .OrderBy(m => m.version)];
    }

    public static string Folder(SqlDialect dialect) => dialect == SqlDialect.Postgres ? "postgres" : "sqlite";

    private static string? Read(string resource)
    {
        using var stream = Assembly.GetManifestResourceStream(resource);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
