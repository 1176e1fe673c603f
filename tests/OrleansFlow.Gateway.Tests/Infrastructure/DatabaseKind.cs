namespace OrleansFlow.Gateway.Tests.Infrastructure;

/// <summary>The databases every server-level test runs on.</summary>
public enum DatabaseKind
{
    Sqlite,
    Postgres,
}
