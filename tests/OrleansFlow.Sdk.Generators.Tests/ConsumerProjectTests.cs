using System.Diagnostics;

namespace OrleansFlow.Sdk.Generators.Tests;

/// <summary>This test project references the SDK with a ProjectReference (plus the repository's import of
/// OrleansFlow.Sdk.ProjectReference.targets), as a user project does: its own calls of [FlowTask] methods are
/// intercepted by the generator running in its build.</summary>
public sealed class ConsumerProjectTests
{
    [FlowTask]
    public static (int Value, bool ThroughRuntime) Twice(int x) =>
        (x * 2, new StackTrace().ToString().Contains("OrleansFlow.Runtime.FlowRuntime.RunTask", StringComparison.Ordinal));

    [Fact]
    public void CallTask_InThisProject_GoesThroughTheRuntime()
    {
        var (_, throughRuntime) = Twice(21);

        Assert.True(throughRuntime, "Twice ran as a plain call: the generator did not intercept it.");
    }

    [Fact]
    public void CallTask_OutsideAnyFlow_ReturnsItsValue()
    {
        var (value, throughRuntime) = Twice(21);

        Assert.Equal(42, value);
        Assert.True(throughRuntime);
    }
}
