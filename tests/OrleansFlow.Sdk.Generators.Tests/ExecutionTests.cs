using OrleansFlow.Sdk.Generators.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Generators.Tests;

/// <summary>Generated interceptors run: each finds its method by reflection (overloads, generics, instance methods), goes
/// through FlowRuntime, and a task called outside any flow returns its value as a plain call.</summary>
public sealed class ExecutionTests
{
    [Fact]
    public void Run_TasksOutsideAFlow_GoThroughTheRuntimeAndReturnTheirValues()
    {
        var result = GeneratorHarness.Run("""
            using System.Collections.Generic;
            using System.Diagnostics;
            using OrleansFlow;

            public sealed class Box<T>(T value)
            {
                [FlowTask] public List<T> Repeat<TCount>(TCount count, int times = 2) where TCount : notnull
                {
                    Checks.Seen();
                    return [.. System.Linq.Enumerable.Repeat(value, times)];
                }
            }

            public static class Checks
            {
                public static int Intercepted;

                public static void Seen()
                {
                    if (new StackTrace().ToString().Contains("OrleansFlow.Runtime.FlowRuntime.RunTask"))
                    {
                        Intercepted++;
                    }
                }

                [FlowTask] public static int Add(int a, int b) { Seen(); return a + b; }
                [FlowTask] public static string Add(string a, string b) { Seen(); return a + b; }
                [FlowTask] public static T[] Pair<T>(T a, T b) { Seen(); return [a, b]; }
                [FlowTask] public static void Nothing() => Seen();

                public static string Run()
                {
                    Nothing();
                    var repeated = new Box<string>("x").Repeat(count: 1, times: 3);
                    return $"{Add(1, 2)} {Add("a", "b")} {string.Join(",", Pair(4, 5))} {string.Concat(repeated)} {Intercepted}";
                }
            }
            """);
        result.AssertCompilesCleanly();

        var run = result.Load().GetType("Checks")!.GetMethod("Run")!;
        var output = (string)run.Invoke(null, null)!;

        Assert.Equal("3 ab 4,5 xxx 5", output);
    }

    [Fact]
    public void Run_PrivateTasks_AreCalledThroughUnsafeAccessors()
    {
        var result = GeneratorHarness.Run("""
            using System.Diagnostics;
            using OrleansFlow;

            public static class Steps
            {
                public static int Intercepted;

                private static void Seen()
                {
                    if (new StackTrace().ToString().Contains("OrleansFlow.Runtime.FlowRuntime.RunTask"))
                    {
                        Intercepted++;
                    }
                }

                [FlowTask] private static int Square(int x) { Seen(); return x * x; }

                private static class Hidden
                {
                    [FlowTask] internal static string Shout(string s) { Seen(); return s.ToUpperInvariant(); }
                    public static string Call(string s) => Shout(s);
                }

                public sealed class Counter(int start)
                {
                    [FlowTask] private int Next(int step) { Seen(); return start + step; }
                    public int Call() => Next(2);
                }

                public static string Run() => $"{Square(7)} {Hidden.Call("hi")} {new Counter(40).Call()} {Intercepted}";
            }
            """);
        result.AssertCompilesCleanly();
        Assert.Contains("UnsafeAccessorKind.StaticMethod, Name = \"Square\")]", result.Generated);
        Assert.Contains("UnsafeAccessorKind.Method, Name = \"Next\")]", result.Generated);
        Assert.Contains("[global::System.Runtime.CompilerServices.UnsafeAccessorType(\"Steps+Hidden, Consumer\")] object? target", result.Generated);

        var run = result.Load().GetType("Steps")!.GetMethod("Run")!;
        var output = (string)run.Invoke(null, null)!;

        Assert.Equal("49 HI 42 3", output);
    }
}
