using System.Reflection;
using OrleansFlow.Runtime;

namespace OrleansFlow.Sdk.Generators.Tests.Infrastructure;

/// <summary>Tells whether <c>FlowRuntime.RunTask</c> is implemented, by calling it once with a trivial task.</summary>
internal static class RuntimeProbe
{
    public static bool IsImplemented { get; } = Probe();

    /// <summary>True when <paramref name="exception"/> is the not-yet-implemented entry point of <c>FlowRuntime</c>.</summary>
    public static bool IsNotImplementedRuntime(Exception exception) =>
        exception is NotImplementedException && exception.TargetSite?.DeclaringType == typeof(FlowRuntime);

    [FlowTask]
    private static int One() => 1;

    private static bool Probe()
    {
        var method = typeof(RuntimeProbe).GetMethod(nameof(One), BindingFlags.NonPublic | BindingFlags.Static)!;
        try
        {
            return FlowRuntime.RunTask(TaskDefinition.For(method), One, [], []) == 1;
        }
        catch (Exception e) when (IsNotImplementedRuntime(e))
        {
            return false;
        }
    }
}
