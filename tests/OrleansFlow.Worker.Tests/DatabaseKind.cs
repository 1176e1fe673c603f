namespace OrleansFlow.Worker.Tests;

/// <summary>The databases every worker test runs on.</summary>
public enum DatabaseKind
{
    Sqlite,
    Postgres,
}
