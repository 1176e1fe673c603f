using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace OrleansFlow.Generators;

/// <summary>Writes types, type constraints and default values as C# text for the generated code.</summary>
internal static class TypeText
{
    private static readonly SymbolDisplayFormat Annotated = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>The fully qualified type with its nullable annotations, as a declaration states it.</summary>
    public static string Display(ITypeSymbol type) => type.ToDisplayString(Annotated);

    /// <summary>An identifier as C# needs it written (<c>@class</c> for the keyword).</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>The type parameters of <paramref name="type"/> and its containing types, outermost first, as the CLR
    /// numbers them on the generic type definition.</summary>
    public static IReadOnlyList<ITypeParameterSymbol> AllTypeParameters(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var t = type; t is not null; t = t.ContainingType)
        {
            chain.Insert(0, t);
        }

        return [.. chain.SelectMany(t => t.TypeParameters)];
    }

    /// <summary>The type as <c>typeof</c> takes it unbound: <c>global::N.Outer&lt;&gt;.Inner&lt;,&gt;</c>.</summary>
    public static string OpenTypeOf(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        var name = definition.Name + (definition.Arity > 0 ? "<" + new string(',', definition.Arity - 1) + ">" : "");
        if (definition.ContainingType is { } outer)
        {
            return OpenTypeOf(outer) + "." + name;
        }

        return definition.ContainingNamespace is { IsGlobalNamespace: false } ns
            ? "global::" + ns.ToDisplayString() + "." + name
            : "global::" + name;
    }

    /// <summary>An expression of type <c>System.Type</c> for <paramref name="type"/> as it appears in the signature of a
    /// method declared in <paramref name="declaringType"/>, for finding that method by reflection.</summary>
    public static string TypeOf(ITypeSymbol type, INamedTypeSymbol declaringType)
    {
        switch (type)
        {
            case ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } p:
                return $"global::System.Type.MakeGenericMethodParameter({p.Ordinal})";
            case ITypeParameterSymbol p:
                var index = AllTypeParameters(declaringType.OriginalDefinition).ToList().FindIndex(t => SymbolEqualityComparer.Default.Equals(t, p));
                return $"typeof({OpenTypeOf(declaringType)}).GetGenericArguments()[{index}]";
            case IArrayTypeSymbol array:
                return TypeOf(array.ElementType, declaringType) + (array.IsSZArray ? ".MakeArrayType()" : $".MakeArrayType({array.Rank})");
            case INamedTypeSymbol named when named.IsGenericType && ContainsTypeParameter(named):
                var arguments = AllTypeArguments(named).Select(a => TypeOf(a, declaringType));
                return $"typeof({OpenTypeOf(named)}).MakeGenericType({string.Join(", ", arguments)})";
            case { TypeKind: TypeKind.Dynamic }:
                return "typeof(object)";
            case INamedTypeSymbol { IsTupleType: true } tuple:
                return $"typeof({tuple.TupleUnderlyingType?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) ?? tuple.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)})";
            default:
                return $"typeof({type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)})";
        }
    }

    /// <summary>The <c>where</c> clauses that repeat the constraints of <paramref name="typeParameters"/>.</summary>
    public static string Constraints(IEnumerable<ITypeParameterSymbol> typeParameters)
    {
        var clauses = new List<string>();
        foreach (var p in typeParameters)
        {
            var parts = new List<string>();
            if (p.HasReferenceTypeConstraint)
            {
                parts.Add(p.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
            }
            else if (p.HasUnmanagedTypeConstraint)
            {
                parts.Add("unmanaged");
            }
            else if (p.HasValueTypeConstraint)
            {
                parts.Add("struct");
            }
            else if (p.HasNotNullConstraint)
            {
                parts.Add("notnull");
            }

            parts.AddRange(p.ConstraintTypes.Select(Display));
            if (p.HasConstructorConstraint && !p.HasValueTypeConstraint)
            {
                parts.Add("new()");
            }

            if (parts.Count > 0)
            {
                clauses.Add($" where {p.Name} : {string.Join(", ", parts)}");
            }
        }

        return string.Concat(clauses);
    }

    /// <summary>The C# text of a parameter's default value, or null when it cannot be written (the generated method then
    /// declares no defaults: the compiler has already bound the call's arguments against the original method).</summary>
    public static string? DefaultValue(IParameterSymbol parameter)
    {
        var value = parameter.ExplicitDefaultValue;
        var type = parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : parameter.Type;
        if (value is null)
        {
            return "default";
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return $"({Display(type)})({SymbolDisplay.FormatPrimitive(value, quoteStrings: false, useHexadecimalNumbers: false)})";
        }

        return value switch
        {
            string or char or bool => SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false),
            float f when float.IsNaN(f) || float.IsInfinity(f) => null,
            double d when double.IsNaN(d) || double.IsInfinity(d) => null,
            float f => f.ToString("R", CultureInfo.InvariantCulture) + "F",
            double d => d.ToString("R", CultureInfo.InvariantCulture) + "D",
            decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
            byte or sbyte or short or ushort or int or uint or long or ulong => Convert.ToString(value, CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    private static IEnumerable<ITypeSymbol> AllTypeArguments(INamedTypeSymbol type) =>
        type.ContainingType is { } outer ? AllTypeArguments(outer).Concat(type.TypeArguments) : type.TypeArguments;

    private static bool ContainsTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
        INamedTypeSymbol named => AllTypeArguments(named).Any(ContainsTypeParameter),
        _ => false,
    };
}
