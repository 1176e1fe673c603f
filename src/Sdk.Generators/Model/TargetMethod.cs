namespace OrleansFlow.Generators.Model;

/// <summary>A <c>[Flow]</c> or <c>[FlowTask]</c> method whose calls get intercepted: everything the emitter needs to write
/// its interceptor, in plain strings so that equal methods compare equal between generator runs.</summary>
/// <param name="Key">Identifies the method in this compilation (its documentation id and assembly).</param>
/// <param name="IsFlow">True for a flow, false for a task.</param>
/// <param name="ContainingType">The declaring type, fully qualified, with its type parameters.</param>
/// <param name="ContainingTypeExpression">An expression of type <c>System.Type</c> for the declaring type, unbound when generic
/// (<c>typeof(global::N.C&lt;&gt;)</c>).</param>
/// <param name="ContainingTypeName">The declaring type's simple name, for readable member names.</param>
/// <param name="Name">The method name.</param>
/// <param name="IsStatic">True for a static method (extension methods included).</param>
/// <param name="IsExtension">True for an extension method: its first parameter carries <c>this</c>.</param>
/// <param name="ReturnType">The declared return type, fully qualified.</param>
/// <param name="Shape">The kind of return, which picks the entry point.</param>
/// <param name="ResultType">The <c>T</c> of <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>, or the return type of a value method.</param>
/// <param name="Parameters">The parameters, in order.</param>
/// <param name="TypeParameters">The interceptor's type parameters: the declaring types' (outermost first), then the method's.</param>
/// <param name="Constraints">The <c>where</c> clauses of those type parameters.</param>
/// <param name="MethodArity">The method's own number of type parameters.</param>
/// <param name="MethodTypeArguments">The method's type parameters as a call passes them (<c>&lt;T, U&gt;</c>), or empty.</param>
/// <param name="AccessorTarget">For a method generated code cannot call (private), the first parameter of the
/// <c>[UnsafeAccessor]</c> that calls it instead; null when it is called directly.</param>
internal sealed record TargetMethod(
    string Key,
    bool IsFlow,
    string ContainingType,
    string ContainingTypeExpression,
    string ContainingTypeName,
    string Name,
    bool IsStatic,
    bool IsExtension,
    string ReturnType,
    ReturnShape Shape,
    string? ResultType,
    EquatableArray<ParameterModel> Parameters,
    EquatableArray<string> TypeParameters,
    string Constraints,
    int MethodArity,
    string MethodTypeArguments,
    string? AccessorTarget);
