using Microsoft.CodeAnalysis;

namespace OrleansFlow.Generators;

/// <summary>The diagnostics of the generator. Each says which call cannot become an orchestrated run and what to change;
/// they are errors because such a call would silently run as a plain call.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "OrleansFlow";

    public static readonly DiagnosticDescriptor InterceptorsNotEnabled = new(
        id: "OF0001",
        title: "Interceptors are not enabled for OrleansFlow",
        messageFormat: "The call to '{0}' cannot become an orchestrated run: interceptors are not enabled for the OrleansFlow.Generated namespace. "
            + "Add <InterceptorsNamespaces>$(InterceptorsNamespaces);OrleansFlow.Generated</InterceptorsNamespaces> to the project.",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor RefParameter = new(
        id: "OF0002",
        title: "Flow and task parameters cannot be ref, out or in",
        messageFormat: "'{0}' has the {1} parameter '{2}': flows and tasks take their arguments by value (their values are recorded as run parameters); return the value instead",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor LocalFunction = new(
        id: "OF0003",
        title: "A local function cannot be a flow or a task",
        messageFormat: "'{0}' is a local function: calls to local functions cannot be intercepted, so it would run as a plain call. Make it a method of a class.",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor Inaccessible = new(
        id: "OF0004",
        title: "A flow or task's signature must be accessible to the generated code",
        messageFormat: "'{0}' cannot become an orchestrated run: '{1}' is not accessible from generated code. Make it internal or public (and its declaring types).",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedCall = new(
        id: "OF0005",
        title: "This flow or task call cannot be intercepted",
        messageFormat: "The call to '{0}' cannot become an orchestrated run: {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);
}
