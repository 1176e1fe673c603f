using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OrleansFlow.Generators.Model;

namespace OrleansFlow.Generators;

/// <summary>Turns an invocation into a call site to intercept when it calls a <c>[Flow]</c> or <c>[FlowTask]</c> method,
/// or into a diagnostic when such a call cannot be intercepted.</summary>
internal static class CallSiteAnalyzer
{
    public const string FlowAttribute = "OrleansFlow.FlowAttribute";
    public const string FlowTaskAttribute = "OrleansFlow.FlowTaskAttribute";

    public static CallAnalysis? Analyze(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (context.SemanticModel.Compilation.AssemblyName == FlowInterceptorGenerator.RuntimeAssembly)
        {
            return null;
        }

        if (context.SemanticModel.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol called)
        {
            return null;
        }

        var method = (called.ReducedFrom ?? called).OriginalDefinition;
        var isFlow = HasAttribute(method, FlowAttribute);
        if (!isFlow && !HasAttribute(method, FlowTaskAttribute))
        {
            return null;
        }

        var location = invocation.GetLocation();
        var name = $"{method.ContainingType.Name}.{method.Name}";
        var notEnabled = DiagnosticInfo.Create(DiagnosticDescriptors.InterceptorsNotEnabled, location, name);
        var problem = FindProblem(context.SemanticModel.Compilation, invocation, method, name, location);
        if (problem is not null)
        {
            return new(null, problem, notEnabled);
        }

#pragma warning disable RSEXPERIMENTAL002 // GetInterceptableLocation is the supported way to point at a call.
        var interceptable = context.SemanticModel.GetInterceptableLocation(invocation, cancellationToken);
#pragma warning restore RSEXPERIMENTAL002
        if (interceptable is null)
        {
            return new(null, DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedCall, location, name, "the compiler cannot intercept this call."), notEnabled);
        }

        var lineSpan = location.GetLineSpan();
        var call = new CallSite(
            Describe(context.SemanticModel.Compilation, method, isFlow),
            interceptable.GetInterceptsLocationAttributeSyntax(),
            $"{System.IO.Path.GetFileName(lineSpan.Path)}({lineSpan.StartLinePosition.Line + 1},{lineSpan.StartLinePosition.Character + 1})",
            $"{lineSpan.Path}:{location.SourceSpan.Start:D10}");
        return new(call, null, notEnabled);
    }

    private static bool HasAttribute(IMethodSymbol method, string attribute) =>
        method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == attribute);

    private static DiagnosticInfo? FindProblem(Compilation compilation, InvocationExpressionSyntax invocation, IMethodSymbol method, string name, Location location)
    {
        if (method.MethodKind == MethodKind.LocalFunction)
        {
            return DiagnosticInfo.Create(DiagnosticDescriptors.LocalFunction, location, method.Name);
        }

        if (method.Parameters.FirstOrDefault(p => p.RefKind != RefKind.None) is { } byRef)
        {
            var kind = byRef.RefKind switch
            {
                RefKind.Out => "out",
                RefKind.In => "in",
                RefKind.RefReadOnlyParameter => "ref readonly",
                _ => "ref",
            };
            return DiagnosticInfo.Create(DiagnosticDescriptors.RefParameter, location, name, kind, byRef.Name);
        }

        string? unsupported = null;
        if (method.MethodKind != MethodKind.Ordinary)
        {
            unsupported = "only ordinary methods can be flows or tasks.";
        }
        else if (!method.IsStatic && method.ContainingType.IsValueType)
        {
            unsupported = "instance methods of structs are not supported; make it a static method or a method of a class.";
        }
        else if (invocation.Expression is MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax })
        {
            unsupported = "a base call cannot be intercepted; call it without 'base.'.";
        }
        else if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            unsupported = "ref returns are not supported.";
        }
        else if (method.ReturnType.IsRefLikeType || method.Parameters.Any(p => p.Type.IsRefLikeType))
        {
            unsupported = "ref struct parameters and results (Span<T> and the like) cannot be recorded; use arrays or other types.";
        }
        else if (method.Parameters.Any(p => p.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
            || method.ReturnType.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            unsupported = "pointer parameters and results are not supported.";
        }
        else if (InterceptorTypeParameters(method).GroupBy(p => p.Name).Any(g => g.Count() > 1))
        {
            unsupported = "the method and its declaring types reuse a type parameter name; rename one of them.";
        }

        if (unsupported is not null)
        {
            return DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedCall, location, name, unsupported);
        }

        // The interceptor's signature names these types, so they must be accessible; the method itself may be private
        // when the body can reach it through an [UnsafeAccessor].
        var signature = new ISymbol[] { method.ReturnType }.Concat(method.Parameters.Select(p => p.Type));
        if (!method.IsStatic)
        {
            signature = signature.Append(method.ContainingType);
        }

        var inaccessible = signature.FirstOrDefault(s => !IsAccessible(compilation, s));
        if (inaccessible is null && !IsAccessible(compilation, method) && AccessorTarget(compilation, method) is null)
        {
            inaccessible = method;
        }

        return inaccessible is null
            ? null
            : DiagnosticInfo.Create(DiagnosticDescriptors.Inaccessible, location, name, inaccessible.ToDisplayString());
    }

    private static bool IsAccessible(Compilation compilation, ISymbol symbol) => compilation.IsSymbolAccessibleWithin(symbol, compilation.Assembly);

    /// <summary>The first parameter of an <c>[UnsafeAccessor]</c> that calls <paramref name="method"/> when generated code
    /// cannot call it directly (a private method), or null when it can, or when no accessor can reach it (generic
    /// methods and types, or a runtime without <c>UnsafeAccessor</c>).</summary>
    private static string? AccessorTarget(Compilation compilation, IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (IsAccessible(compilation, method)
            || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly)
            || method.Arity > 0
            || TypeText.AllTypeParameters(type).Count > 0
            || compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.UnsafeAccessorAttribute") is null)
        {
            return null;
        }

        if (!method.IsStatic)
        {
            return $"{TypeText.Display(type)} target";
        }

        if (!type.IsStatic && IsAccessible(compilation, type))
        {
            return $"{TypeText.Display(type)}? target";
        }

        // A static class cannot be a parameter type, nor can an inaccessible one: the runtime finds the type by name.
        if (compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.UnsafeAccessorTypeAttribute") is null)
        {
            return null;
        }

        var metadataName = (type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." : "")
            + string.Join("+", ContainingChain(type).Select(t => t.MetadataName));
        return $"[global::System.Runtime.CompilerServices.UnsafeAccessorType(\"{metadataName}, {type.ContainingAssembly.Identity.Name}\")] object? target";
    }

    /// <summary>An expression of type <c>System.Type</c> for the declaring type (unbound when generic); a type that
    /// generated code cannot name (a private nested class) is found from its container.</summary>
    private static string TypeExpression(Compilation compilation, INamedTypeSymbol type)
    {
        if (IsAccessible(compilation, type) || type.ContainingType is null)
        {
            return $"typeof({(TypeText.AllTypeParameters(type).Count > 0 ? TypeText.OpenTypeOf(type) : TypeText.Display(type))})";
        }

        return TypeExpression(compilation, type.ContainingType)
            + $".GetNestedType(\"{type.MetadataName}\", global::System.Reflection.BindingFlags.Public | global::System.Reflection.BindingFlags.NonPublic)!";
    }

    private static IEnumerable<INamedTypeSymbol> ContainingChain(INamedTypeSymbol type) =>
        type.ContainingType is { } outer ? ContainingChain(outer).Append(type) : [type];

    private static ImmutableArray<ITypeParameterSymbol> InterceptorTypeParameters(IMethodSymbol method) =>
        [.. TypeText.AllTypeParameters(method.ContainingType), .. method.TypeParameters];

    private static TargetMethod Describe(Compilation compilation, IMethodSymbol method, bool isFlow)
    {
        var type = method.ContainingType;
        var (shape, result) = ShapeOf(method.ReturnType);
        var parameters = method.Parameters.Select(p => new ParameterModel(
            TypeText.Identifier(p.Name),
            p.Name,
            TypeText.Display(p.Type),
            TypeText.TypeOf(p.Type, type),
            p.HasExplicitDefaultValue ? TypeText.DefaultValue(p) : null,
            p.IsParams)).ToImmutableArray();
        if (parameters.Zip(method.Parameters, (model, symbol) => symbol.HasExplicitDefaultValue && model.DefaultValue is null).Any(unwritable => unwritable))
        {
            // A default that cannot be written drops all of them: an optional parameter may not precede a required one.
            parameters = [.. parameters.Select(p => p with { DefaultValue = null })];
        }

        var typeParameters = InterceptorTypeParameters(method);
        return new TargetMethod(
            Key: method.GetDocumentationCommentId() + "@" + method.ContainingAssembly?.Identity.GetDisplayName(),
            IsFlow: isFlow,
            ContainingType: TypeText.Display(type),
            ContainingTypeExpression: TypeExpression(compilation, type),
            ContainingTypeName: type.Name,
            Name: method.Name,
            IsStatic: method.IsStatic,
            IsExtension: method.IsExtensionMethod,
            ReturnType: TypeText.Display(method.ReturnType),
            Shape: shape,
            ResultType: result is null ? null : TypeText.Display(result),
            Parameters: new(parameters),
            TypeParameters: new([.. typeParameters.Select(p => p.Name)]),
            Constraints: TypeText.Constraints(typeParameters),
            MethodArity: method.Arity,
            MethodTypeArguments: method.Arity > 0 ? "<" + string.Join(", ", method.TypeParameters.Select(p => p.Name)) + ">" : "",
            AccessorTarget: AccessorTarget(compilation, method));
    }

    private static (ReturnShape Shape, ITypeSymbol? Result) ShapeOf(ITypeSymbol returnType)
    {
        if (returnType.SpecialType == SpecialType.System_Void)
        {
            return (ReturnShape.Void, null);
        }

        if (returnType is INamedTypeSymbol named && named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
        {
            switch (named.MetadataName)
            {
                case "Task":
                    return (ReturnShape.Task, null);
                case "Task`1":
                    return (ReturnShape.TaskOfT, named.TypeArguments[0]);
                case "ValueTask":
                    return (ReturnShape.ValueTask, null);
                case "ValueTask`1":
                    return (ReturnShape.ValueTaskOfT, named.TypeArguments[0]);
            }
        }

        return (ReturnShape.Value, returnType);
    }
}
