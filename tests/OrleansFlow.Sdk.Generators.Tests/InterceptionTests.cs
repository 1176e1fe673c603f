using OrleansFlow.Sdk.Generators.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Generators.Tests;

/// <summary>Each call shape becomes the matching FlowRuntime entry point, and the generated code compiles with no
/// error or warning against the real SDK.</summary>
public sealed class InterceptionTests
{
    private const string Etl = """
        using System;
        using System.Threading.Tasks;
        using OrleansFlow;

        namespace Demo;

        public record Data(int Users, int Events, int Total = 0);

        public static class Etl
        {
            [FlowTask(Retries = 3, RetryDelaySeconds = 1)]
            public static Data ExtractData() => new(Users: 100, Events: 1000);

            [FlowTask]
            public static Data TransformData(Data d) => d with { Total = d.Users + d.Events };

            [FlowTask]
            public static void LoadData(Data d) => Console.WriteLine($"Loading data: {d}");

            [Flow(Name = "ETL Pipeline")]
            public static Data EtlFlow()
            {
                var raw = ExtractData();
                var transformed = TransformData(raw);
                LoadData(transformed);
                return transformed;
            }

            public static Data Main() => EtlFlow();
        }
        """;

    [Fact]
    public void Generate_EtlSample_EveryCallForwardsToItsEntryPoint()
    {
        var result = GeneratorHarness.Run(Etl);

        result.AssertCompilesCleanly();
        Assert.Contains("global::OrleansFlow.Runtime.FlowRuntime.RunTask<global::Demo.Data>(Etl_ExtractDataDefinition, [global::System.Diagnostics.DebuggerStepThrough] () => global::Demo.Etl.ExtractData(), Etl_ExtractDataParameters, global::System.Array.Empty<object?>());", result.Generated);
        Assert.Contains("global::OrleansFlow.Runtime.FlowRuntime.RunTask<global::Demo.Data>(Etl_TransformDataDefinition, [global::System.Diagnostics.DebuggerStepThrough] () => global::Demo.Etl.TransformData(d), Etl_TransformDataParameters, new object?[] { d });", result.Generated);
        Assert.Contains("global::OrleansFlow.Runtime.FlowRuntime.RunTask(Etl_LoadDataDefinition,", result.Generated);
        Assert.Contains("global::OrleansFlow.Runtime.FlowRuntime.RunFlow<global::Demo.Data>(Etl_EtlFlowDefinition,", result.Generated);
        Assert.Contains("private static readonly global::OrleansFlow.FlowDefinition Etl_EtlFlowDefinition = global::OrleansFlow.FlowDefinition.For(", result.Generated);
        Assert.Contains("Find(typeof(global::Demo.Etl), \"ExtractData\", 0, isStatic: true, global::System.Type.EmptyTypes)", result.Generated);
        Assert.Contains("private static readonly string[] Etl_TransformDataParameters = new string[] { \"d\" };", result.Generated);
        Assert.Equal(4, CountOf(result.Generated!, "InterceptsLocationAttribute(1, "));
    }

    [Fact]
    public void Generate_AsyncShapes_UseTheAsyncEntryPoints()
    {
        var result = GeneratorHarness.Run("""
            using System.Threading.Tasks;
            using OrleansFlow;

            public static class Jobs
            {
                [FlowTask] public static Task<int> CountAsync(string text) => Task.FromResult(text.Length);
                [FlowTask] public static Task WaitAsync() => Task.CompletedTask;
                [Flow] public static ValueTask<string?> NameAsync() => new((string?)null);
                [Flow] public static ValueTask RunAsync() => default;

                public static async Task Main()
                {
                    await CountAsync("abc");
                    await WaitAsync();
                    await NameAsync();
                    await RunAsync();
                }
            }
            """);

        result.AssertCompilesCleanly();
        Assert.Contains("FlowRuntime.RunTaskAsync<int>(Jobs_CountAsyncDefinition, [global::System.Diagnostics.DebuggerStepThrough] () => global::Jobs.CountAsync(text),", result.Generated);
        Assert.Contains("FlowRuntime.RunTaskAsync(Jobs_WaitAsyncDefinition,", result.Generated);
        Assert.Contains("return new global::System.Threading.Tasks.ValueTask<string?>(global::OrleansFlow.Runtime.FlowRuntime.RunFlowAsync<string?>(Jobs_NameAsyncDefinition, [global::System.Diagnostics.DebuggerStepThrough] () => global::Jobs.NameAsync().AsTask(),", result.Generated);
        Assert.Contains("return new global::System.Threading.Tasks.ValueTask(global::OrleansFlow.Runtime.FlowRuntime.RunFlowAsync(Jobs_RunAsyncDefinition,", result.Generated);
    }

    [Fact]
    public void Generate_InstanceMethod_TakesTheReceiverAsThis()
    {
        var result = GeneratorHarness.Run("""
            using OrleansFlow;

            public sealed class Pipeline(int offset)
            {
                [FlowTask] public int Add(int x) => x + offset;
                public int Run() => Add(1) + this.Add(2) + new Pipeline(3).Add(4);
            }
            """);

        result.AssertCompilesCleanly();
        Assert.Contains("public static int Pipeline_Add(this global::Pipeline @this, int x)", result.Generated);
        Assert.Contains("() => @this.Add(x)", result.Generated);
        Assert.Contains("isStatic: false", result.Generated);
        Assert.Equal(3, CountOf(result.Generated!, "InterceptsLocationAttribute(1, "));
    }

    [Fact]
    public void Generate_GenericMethodInGenericType_MirrorsTypeParametersAndConstraints()
    {
        var result = GeneratorHarness.Run("""
            using System.Collections.Generic;
            using OrleansFlow;

            public static class Store<TKey> where TKey : notnull
            {
                [FlowTask] public static Dictionary<TKey, TValue> Put<TValue>(TKey key, TValue value, List<TValue[]>? history) where TValue : class, new()
                    => new() { [key] = value };
            }

            public static class Use
            {
                public static object Run() => Store<string>.Put("a", new object(), null);
            }
            """);

        result.AssertCompilesCleanly();
        Assert.Contains("Store_Put<TKey, TValue>(TKey key, TValue value, global::System.Collections.Generic.List<TValue[]>? history) where TKey : notnull where TValue : class, new()", result.Generated);
        Assert.Contains("typeof(global::Store<>).GetGenericArguments()[0]", result.Generated);
        Assert.Contains("typeof(global::System.Collections.Generic.List<>).MakeGenericType(global::System.Type.MakeGenericMethodParameter(0).MakeArrayType())", result.Generated);
    }

    [Fact]
    public void Generate_OptionalNamedAndParamsArguments_SignatureMirrorsTheTarget()
    {
        var result = GeneratorHarness.Run("""
            using OrleansFlow;

            public enum Mode { Fast = 1, Slow = -2 }

            public static class Tasks
            {
                [FlowTask] public static string Format(string @class, int count = 3, Mode mode = Mode.Slow, double ratio = 0.5, string? label = null, params int[] extra)
                    => $"{@class}{count}{mode}{ratio}{label}{extra.Length}";

                public static string Run() => Format("x", label: "l") + Format(@class: "y", ratio: 2, mode: Mode.Fast) + Format("z", 1, Mode.Fast, 1, null, 1, 2, 3);
            }
            """);

        result.AssertCompilesCleanly();
        Assert.Contains("public static string Tasks_Format(string @class, int count = 3, global::Mode mode = (global::Mode)(-2), double ratio = 0.5D, string? label = default, params int[] extra)", result.Generated);
        Assert.Contains("new string[] { \"class\", \"count\", \"mode\", \"ratio\", \"label\", \"extra\" }", result.Generated);
    }

    [Fact]
    public void Generate_ExtensionMethod_InterceptsTheReducedCall()
    {
        var result = GeneratorHarness.Run("""
            using OrleansFlow;

            public static class Numbers
            {
                [FlowTask] public static int Double(this int x) => x * 2;
                public static int Run() => 21.Double() + Numbers.Double(1);
            }
            """);

        result.AssertCompilesCleanly();
        Assert.Contains("public static int Numbers_Double(this int x)", result.Generated);
        Assert.Equal(2, CountOf(result.Generated!, "InterceptsLocationAttribute(1, "));
    }

    [Fact]
    public void Generate_FlowDeclaredInAReferencedAssembly_InterceptsTheConsumersCalls()
    {
        var library = GeneratorHarness.Compile("""
            using OrleansFlow;

            namespace Lib;

            public static class Shared
            {
                [Flow(Name = "shared")] public static int Compute(int x) => x + 1;
            }
            """, assemblyName: "Lib");
        var consumer = GeneratorHarness.Compile(
            "public static class App { public static int Run() => Lib.Shared.Compute(41); }",
            extraReferences: [library.ToMetadataReference()]);

        var result = GeneratorHarness.Run(consumer);

        result.AssertCompilesCleanly();
        Assert.Contains("FlowRuntime.RunFlow<int>(Shared_ComputeDefinition, [global::System.Diagnostics.DebuggerStepThrough] () => global::Lib.Shared.Compute(x),", result.Generated);
    }

    [Fact]
    public void Generate_InTheRuntimeAssembly_GeneratesNothing()
    {
        var compilation = GeneratorHarness.Compile(Etl, assemblyName: "OrleansFlow.Sdk");

        var result = GeneratorHarness.Run(compilation);

        Assert.Null(result.Generated);
        Assert.Empty(result.GeneratorDiagnostics);
    }

    [Fact]
    public void Generate_NoFlowCalls_GeneratesNothing()
    {
        var result = GeneratorHarness.Run("public static class App { public static int Run() => System.Math.Abs(-1); }");

        Assert.Null(result.Generated);
        Assert.Empty(result.GeneratorDiagnostics);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
