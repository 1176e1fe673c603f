using System.Text.RegularExpressions;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace OrleansFlow.Bench.Profiling;

/// <summary>The CPU and allocation samples of a <c>.nettrace</c>, by component, function and type.</summary>
internal static partial class TraceReport
{
    public static void Write(string path, int top, TextWriter output)
    {
        var etlx = Path.Combine(Path.GetTempPath(), $"profile-report-{Guid.NewGuid():N}.etlx");
        try
        {
            using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(path, etlx));
            var cpu = new SampleTally();
            var allocations = new SampleTally();
            var byType = new Dictionary<string, double>();
            foreach (var e in log.Events)
            {
                if (e is GCAllocationTickTraceData tick)
                {
                    var bytes = (double)tick.AllocationAmount64;
                    byType[tick.TypeName] = byType.GetValueOrDefault(tick.TypeName) + bytes;
                    allocations.Add(Frames(e.CallStack()), bytes);
                }
                else if (e.EventName == "cpu" && e.CallStack() is { } stack)
                {
                    // collect-linux --profile cpu-sampling: one perf sample of the CPU, kernel and native frames included.
                    cpu.Add(Frames(stack), 1);
                }
            }

            output.WriteLine($"trace {path}");
            if (cpu.Total > 0)
            {
                output.WriteLine($"\nCPU samples: {cpu.Total:0}");
                WriteShares(output, "self time by component", cpu.SelfByComponent, cpu.Total, int.MaxValue);
                WriteShares(output, "self time by function", cpu.Self, cpu.Total, top);
                WriteShares(output, "inclusive, OrleansFlow frames", cpu.OrleansFlowInclusive, cpu.Total, top);
                WriteShares(output, "inclusive, all frames", cpu.Inclusive, cpu.Total, top);
            }

            if (allocations.Total > 0)
            {
                output.WriteLine($"\nallocation samples: {allocations.Total / 1e6:0.0} MB sampled");
                WriteShares(output, "by type", byType, allocations.Total, top);
                WriteShares(output, "by the nearest OrleansFlow frame", allocations.NearestOrleansFlow, allocations.Total, top);
                WriteShares(output, "inclusive, OrleansFlow frames", allocations.OrleansFlowInclusive, allocations.Total, top);
            }

            if (cpu.Total == 0 && allocations.Total == 0)
            {
                output.WriteLine("no CPU samples (collect-linux --profile cpu-sampling) and no allocation ticks (--profile gc-verbose) in this trace");
            }
        }
        finally
        {
            File.Delete(etlx);
        }
    }

    private static void WriteShares(TextWriter output, string title, Dictionary<string, double> shares, double total, int top)
    {
        output.WriteLine($"-- {title}");
        foreach (var (name, value) in shares.OrderByDescending(p => p.Value).Take(top))
        {
            output.WriteLine($"{100 * value / total,6:0.0}%  {(name.Length > 160 ? name[..160] : name)}");
        }
    }

    /// <summary>The frames of a stack, leaf first, each named "component | function".</summary>
    private static List<Frame> Frames(TraceCallStack? stack)
    {
        var frames = new List<Frame>();
        for (var s = stack; s is not null; s = s.Caller)
        {
            var module = s.CodeAddress.ModuleName ?? "";
            var method = s.CodeAddress.FullMethodName;
            frames.Add(new Frame(Component(module, method), string.IsNullOrEmpty(method) ? $"[{module}]" : method));
        }

        return frames;
    }

    /// <summary>Where a frame's code comes from: the kernel, a native library, or the managed assembly of the method
    /// (collect-linux names JIT-compiled code "[Assembly] Namespace.Type::Method"; EventPipe stacks name the module).</summary>
    private static string Component(string module, string? method)
    {
        var assembly = method is not null && DeclaringAssembly().Match(method) is { Success: true } m ? m.Groups[1].Value : module;
        return assembly switch
        {
            "vmlinux" or "[kernel.kallsyms]" => "Linux kernel",
            var a when Has(a, "sqlite3") && a.EndsWith(".so", StringComparison.Ordinal) => "SQLite engine",
            var a when Starts(a, "libc.so") || Starts(a, "ld-linux") => "libc",
            "libcoreclr.so" => "CLR runtime (GC, stubs, type system)",
            "libclrjit.so" => "JIT",
            "libsystem.native.so" => "System.Native (system call shims)",
            var a when Starts(a, "OrleansFlow") => "OrleansFlow",
            var a when Starts(a, "Orleans") => "Orleans",
            var a when Starts(a, "System.Text.Json") || Starts(a, "System.Text.Encodings.Web") => "System.Text.Json",
            var a when Starts(a, "Microsoft.AspNetCore") => "ASP.NET Core / Kestrel",
            var a when Starts(a, "Microsoft.Data.Sqlite") || Starts(a, "SQLitePCL") => "Microsoft.Data.Sqlite / SQLitePCL",
            var a when Starts(a, "System.Net") || Starts(a, "System.IO.Pipelines") => "sockets and pipelines",
            var a when Starts(a, "System") || Starts(a, "Microsoft") => "BCL and other Microsoft managed code",
            "memfd:doublemapper" or "" => "managed code, unresolved",
            var a => "other: " + a,
        };
    }

    // Module names come in lower case when the trace could not resolve the assembly.
    private static bool Starts(string text, string prefix) => text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    private static bool Has(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"\[([^\]\s]+)\]\s*[^\s\[]+::")]
    private static partial Regex DeclaringAssembly();

    private readonly record struct Frame(string Component, string Function);

    /// <summary>Sums samples (weighted: 1 per CPU sample, bytes per allocation tick) by leaf and by every frame.</summary>
    private sealed class SampleTally
    {
        public double Total { get; private set; }

        public Dictionary<string, double> Self { get; } = [];

        public Dictionary<string, double> SelfByComponent { get; } = [];

        public Dictionary<string, double> Inclusive { get; } = [];

        public Dictionary<string, double> OrleansFlowInclusive { get; } = [];

        public Dictionary<string, double> NearestOrleansFlow { get; } = [];

        public void Add(List<Frame> frames, double weight)
        {
            Total += weight;
            if (frames.Count == 0)
            {
                return;
            }

            Bump(Self, frames[0].Function, weight);
            Bump(SelfByComponent, frames[0].Component, weight);
            var nearest = frames.FirstOrDefault(f => f.Component == "OrleansFlow");
            Bump(NearestOrleansFlow, nearest.Function ?? "(no OrleansFlow frame)", weight);
            var seen = new HashSet<string>();
            foreach (var frame in frames)
            {
                if (seen.Add(frame.Function))
                {
                    Bump(Inclusive, frame.Function, weight);
                    if (frame.Component == "OrleansFlow")
                    {
                        Bump(OrleansFlowInclusive, frame.Function, weight);
                    }
                }
            }
        }

        private static void Bump(Dictionary<string, double> tally, string key, double weight) =>
            tally[key] = tally.GetValueOrDefault(key) + weight;
    }
}
