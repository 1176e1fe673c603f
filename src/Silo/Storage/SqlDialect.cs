namespace OrleansFlow.Silo.Storage;

/// <summary>The SQL dialects OrleansFlow stores its data in.</summary>
public enum SqlDialect
{
    /// <summary>An embedded SQLite file (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (for clusters).</summary>
    Postgres,
}
