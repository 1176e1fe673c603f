namespace OrleansFlow.Sdk.Generators.Tests.Infrastructure;

/// <summary>A fact that needs <c>FlowRuntime</c>'s entry points implemented: skipped while they still throw
/// <see cref="NotImplementedException"/>, run as soon as they do not.</summary>
public sealed class RuntimeFactAttribute : FactAttribute
{
    public RuntimeFactAttribute()
    {
        if (!RuntimeProbe.IsImplemented)
        {
            Skip = "OrleansFlow.Runtime.FlowRuntime.RunTask throws NotImplementedException (not implemented yet).";
        }
    }
}
