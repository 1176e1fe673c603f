namespace OrleansFlow.Deployments.Tests;

/// <summary>The databases every store and route test runs on.</summary>
public enum DatabaseKind
{
    Sqlite,
    Postgres,
}
