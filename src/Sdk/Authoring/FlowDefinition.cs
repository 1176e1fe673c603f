using System.Reflection;

namespace OrleansFlow;

/// <summary>A flow method and its options, built once per method (the source generator caches one per call site).</summary>
/// <param name="Method">The flow method.</param>
/// <param name="Options">Its <see cref="FlowAttribute"/>.</param>
public sealed record FlowDefinition(MethodInfo Method, FlowAttribute Options)
{
    /// <summary>Builds the definition of <paramref name="method"/>.</summary>
    /// <exception cref="ArgumentException">The method has no <see cref="FlowAttribute"/>.</exception>
    public static FlowDefinition For(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return new(method, method.GetCustomAttribute<FlowAttribute>()
            ?? throw new ArgumentException($"{method.DeclaringType?.Name}.{method.Name} has no [Flow] attribute.", nameof(method)));
    }
}

/// <summary>A task method and its options, built once per method.</summary>
/// <param name="Method">The task method.</param>
/// <param name="Options">Its <see cref="FlowTaskAttribute"/>.</param>
public sealed record TaskDefinition(MethodInfo Method, FlowTaskAttribute Options)
{
    /// <summary>Builds the definition of <paramref name="method"/>.</summary>
    /// <exception cref="ArgumentException">The method has no <see cref="FlowTaskAttribute"/>.</exception>
    public static TaskDefinition For(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return new(method, method.GetCustomAttribute<FlowTaskAttribute>()
            ?? throw new ArgumentException($"{method.DeclaringType?.Name}.{method.Name} has no [FlowTask] attribute.", nameof(method)));
    }
}
