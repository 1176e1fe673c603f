using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OrleansFlow.Generators;

namespace OrleansFlow.Sdk.Generators.Tests.Infrastructure;

/// <summary>Compiles C# sources against the real OrleansFlow.Sdk with the generator, as a consumer project would.</summary>
internal static class GeneratorHarness
{
    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll" or "OrleansFlow.Sdk.dll")
            .Select(path => MetadataReference.CreateFromFile(path)),
    ];

    public static CSharpParseOptions ParseOptions(bool interceptorsEnabled = true) =>
        CSharpParseOptions.Default
            .WithLanguageVersion(LanguageVersion.Preview)
            .WithFeatures(interceptorsEnabled ? [new("InterceptorsNamespaces", "OrleansFlow.Generated")] : []);

    public static CSharpCompilation Compile(
        string source, string assemblyName = "Consumer", bool interceptorsEnabled = true, IEnumerable<MetadataReference>? extraReferences = null)
    {
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions(interceptorsEnabled), path: "Program.cs");
        return CSharpCompilation.Create(
            assemblyName,
            [tree],
            References.AddRange(extraReferences ?? []),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>Runs the generator on <paramref name="compilation"/>.</summary>
    public static GeneratorResult Run(CSharpCompilation compilation)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new FlowInterceptorGenerator().AsSourceGenerator()], parseOptions: (CSharpParseOptions)compilation.SyntaxTrees[0].Options);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var generated = driver.GetRunResult().GeneratedTrees.SingleOrDefault()?.ToString();
        return new(output, generatorDiagnostics, generated);
    }

    public static GeneratorResult Run(string source, bool interceptorsEnabled = true) => Run(Compile(source, interceptorsEnabled: interceptorsEnabled));
}

/// <summary>The generator's output.</summary>
/// <param name="Compilation">The compilation with the generated source added.</param>
/// <param name="GeneratorDiagnostics">What the generator reported (OFxxxx).</param>
/// <param name="Generated">The generated source, or null when nothing was generated.</param>
internal sealed record GeneratorResult(Compilation Compilation, ImmutableArray<Diagnostic> GeneratorDiagnostics, string? Generated)
{
    /// <summary>The compiler's errors and warnings on the final compilation, generated code included.</summary>
    public IReadOnlyList<Diagnostic> CompilerProblems =>
        [.. Compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];

    /// <summary>Emits the compilation and loads it into a collectible context (the SDK resolves from the test's own).</summary>
    public Assembly Load()
    {
        using var stream = new MemoryStream();
        var emitted = Compilation.Emit(stream);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        stream.Position = 0;
        return new AssemblyLoadContext(Compilation.AssemblyName, isCollectible: true).LoadFromStream(stream);
    }

    public void AssertCompilesCleanly()
    {
        Assert.Empty(GeneratorDiagnostics);
        Assert.Empty(CompilerProblems);
        Assert.NotNull(Generated);
    }
}
