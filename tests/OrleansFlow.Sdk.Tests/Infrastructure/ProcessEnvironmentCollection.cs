namespace OrleansFlow.Sdk.Tests.Infrastructure;

/// <summary>Tests that change process-wide state (environment variables) run in this collection, never in parallel with
/// the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "process environment";
}
