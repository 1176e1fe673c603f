using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OrleansFlow.Generators.Model;

namespace OrleansFlow.Generators;

/// <summary>Intercepts every call of a <c>[Flow]</c> or <c>[FlowTask]</c> method (declared in this project or a referenced
/// one) so that it runs through <c>OrleansFlow.Runtime.FlowRuntime</c> as an orchestrated run. Needs
/// <c>&lt;InterceptorsNamespaces&gt;$(InterceptorsNamespaces);OrleansFlow.Generated&lt;/InterceptorsNamespaces&gt;</c>, which
/// the OrleansFlow SDK sets for its consumers; reports OF0001 at each such call when it is missing.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class FlowInterceptorGenerator : IIncrementalGenerator
{
    /// <summary>The namespace of the generated interceptors, which <c>InterceptorsNamespaces</c> must list.</summary>
    public const string InterceptorsNamespace = "OrleansFlow.Generated";

    /// <summary>The name of the step that analyses calls, for tests of the generator's caching.</summary>
    public const string CallsStep = "FlowCalls";

    /// <summary>The SDK's own assembly, whose calls are never intercepted.</summary>
    internal const string RuntimeAssembly = "OrleansFlow.Sdk";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Nothing to do in the runtime itself (its own calls must stay plain) or without it referenced.
        var applies = context.CompilationProvider.Select(static (compilation, _) =>
            compilation.AssemblyName != RuntimeAssembly
            && compilation.GetTypeByMetadataName("OrleansFlow.Runtime.FlowRuntime") is not null);
        var enabled = context.ParseOptionsProvider.Select(static (options, _) => InterceptorsEnabled(options));
        var calls = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is InvocationExpressionSyntax,
                CallSiteAnalyzer.Analyze)
            .Where(static analysis => analysis is not null)
            .WithTrackingName(CallsStep)
            .Collect();

        context.RegisterSourceOutput(calls.Combine(applies).Combine(enabled), static (output, input) =>
        {
            var ((analyses, applies), enabled) = input;
            if (!applies || analyses.IsEmpty)
            {
                return;
            }

            if (!enabled)
            {
                foreach (var analysis in analyses)
                {
                    output.ReportDiagnostic(analysis!.NotEnabled.ToDiagnostic());
                }

                return;
            }

            foreach (var analysis in analyses)
            {
                if (analysis!.Diagnostic is { } diagnostic)
                {
                    output.ReportDiagnostic(diagnostic.ToDiagnostic());
                }
            }

            ImmutableArray<CallSite> sites = [.. analyses.Select(a => a!.Call).OfType<CallSite>()];
            if (!sites.IsEmpty)
            {
                output.AddSource(InterceptorEmitter.HintName, InterceptorEmitter.Emit(sites));
            }
        });
    }

    private static bool InterceptorsEnabled(ParseOptions options) =>
        options.Features.TryGetValue("InterceptorsNamespaces", out var namespaces)
        && namespaces.Split(';').Any(n => n.Trim() == InterceptorsNamespace);
}
