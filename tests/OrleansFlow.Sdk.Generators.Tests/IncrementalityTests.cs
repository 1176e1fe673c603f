using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OrleansFlow.Generators;
using OrleansFlow.Sdk.Generators.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Generators.Tests;

/// <summary>The generator's models compare by value, so an edit that changes no flow call reuses the previous results
/// instead of writing the interceptors again (what keeps typing in the IDE fast).</summary>
public sealed class IncrementalityTests
{
    [Fact]
    public void Generate_AfterAnUnrelatedEdit_CallAnalysesAreUnchanged()
    {
        var compilation = GeneratorHarness.Compile("""
            using OrleansFlow;
            public static class Etl
            {
                [FlowTask] public static int Extract(int x) => x;
                [Flow] public static int Run() => Extract(1) + Extract(2);
            }
            """);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new FlowInterceptorGenerator().AsSourceGenerator()],
            parseOptions: GeneratorHarness.ParseOptions(),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("public static class Other { public static int Plain() => 1; }", GeneratorHarness.ParseOptions(), path: "Other.cs"));
        var run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var outputs = run.TrackedSteps[FlowInterceptorGenerator.CallsStep].SelectMany(step => step.Outputs).ToList();
        Assert.Equal(2, outputs.Count);
        Assert.All(outputs, output => Assert.Contains(output.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        Assert.All(run.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }
}
