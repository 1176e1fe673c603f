using OrleansFlow.Sdk.Generators.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Generators.Tests;

/// <summary>Calls that cannot become orchestrated runs are reported as errors at the call, with what to change.</summary>
public sealed class DiagnosticTests
{
    [Fact]
    public void Generate_InterceptorsNotEnabled_ReportsOF0001AtEachCall()
    {
        var result = GeneratorHarness.Run("""
            using OrleansFlow;
            public static class Etl
            {
                [Flow] public static int Run() => 1;
                public static int Main() => Run() + Run();
            }
            """, interceptorsEnabled: false);

        Assert.Null(result.Generated);
        Assert.Equal(["OF0001", "OF0001"], result.GeneratorDiagnostics.Select(d => d.Id));
        Assert.Contains("<InterceptorsNamespaces>$(InterceptorsNamespaces);OrleansFlow.Generated</InterceptorsNamespaces>", result.GeneratorDiagnostics[0].GetMessage());
    }

    [Fact]
    public void Generate_RefParameter_ReportsOF0002()
    {
        var diagnostic = Single("""
            [FlowTask] public static void Fill(out int x) => x = 1;
            public static void Main() => Fill(out _);
            """);

        Assert.Equal("OF0002", diagnostic.Id);
        Assert.Contains("out parameter 'x'", diagnostic.GetMessage());
    }

    [Fact]
    public void Generate_LocalFunction_ReportsOF0003SayingToMakeItAMethod()
    {
        var diagnostic = Single("""
            public static int Main()
            {
                return Local();

                [Flow] static int Local() => 1;
            }
            """);

        Assert.Equal("OF0003", diagnostic.Id);
        Assert.Contains("Make it a method", diagnostic.GetMessage());
    }

    [Fact]
    public void Generate_PrivateParameterType_ReportsOF0004()
    {
        var diagnostic = Single("""
            private sealed record Secret(int Value);
            [FlowTask] internal static int Reveal(Secret s) => s.Value;
            public static int Main() => Reveal(new Secret(1));
            """);

        Assert.Equal("OF0004", diagnostic.Id);
        Assert.Contains("'Tasks.Secret' is not accessible from generated code. Make it internal or public", diagnostic.GetMessage());
    }

    [Fact]
    public void Generate_PrivateGenericMethod_ReportsOF0004()
    {
        var diagnostic = Single("""
            [FlowTask] private static T Echo<T>(T value) => value;
            public static int Main() => Echo(1);
            """);

        Assert.Equal("OF0004", diagnostic.Id);
    }

    [Fact]
    public void Generate_StructInstanceMethod_ReportsOF0005()
    {
        var result = GeneratorHarness.Run("""
            using OrleansFlow;
            public struct Counter
            {
                [FlowTask] public int Next() => 1;
                public int Run() => Next();
            }
            """);

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("OF0005", diagnostic.Id);
        Assert.Contains("instance methods of structs", diagnostic.GetMessage());
    }

    [Fact]
    public void Generate_UnsupportedCallBesideSupportedOnes_StillInterceptsTheOthers()
    {
        var result = GeneratorHarness.Run("""
            using OrleansFlow;
            public static class Tasks
            {
                [FlowTask] public static int Fine() => 1;
                [FlowTask] public static void Fill(ref int x) => x = 1;
                public static int Main() { var x = 0; Fill(ref x); return Fine() + x; }
            }
            """);

        Assert.Equal("OF0002", Assert.Single(result.GeneratorDiagnostics).Id);
        Assert.Contains("FlowRuntime.RunTask<int>(Tasks_FineDefinition,", result.Generated);
        Assert.DoesNotContain("Fill", result.Generated);
    }

    private static Microsoft.CodeAnalysis.Diagnostic Single(string members)
    {
        var result = GeneratorHarness.Run($$"""
            using OrleansFlow;
            public static class Tasks
            {
                {{members}}
            }
            """);
        return Assert.Single(result.GeneratorDiagnostics);
    }
}
