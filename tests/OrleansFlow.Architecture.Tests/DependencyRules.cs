namespace OrleansFlow.Architecture.Tests;

/// <summary>Which project may depend on the server. The SDK's side (the client contract, the SDK, its generator, the worker,
/// and every flow program, sample and benchmark built on them) knows the server only through the HTTP client; the one
/// exception is the ephemeral-mode hosting entry point, <c>src/Sdk.Ephemeral</c>, which starts a server in-process.</summary>
internal static class DependencyRules
{
    /// <summary>The server's projects, the grains included (their state records and rules are the server's model, not the
    /// wire contract).</summary>
    public static readonly string[] Server =
    [
        "src/Gateway/OrleansFlow.Gateway.csproj", "src/Silo/OrleansFlow.Silo.csproj", "src/Ui/OrleansFlow.Ui.csproj", "src/Grains/OrleansFlow.Grains.csproj",
        "src/Grains/Implementation/OrleansFlow.Grains.Implementation.csproj",
    ];

    /// <summary>The namespaces of the server's assemblies, as source code names them.</summary>
    public static readonly string[] ServerNamespaces = ["OrleansFlow.Gateway", "OrleansFlow.Silo", "OrleansFlow.Ui", "OrleansFlow.Grains"];

    /// <summary>The one folder of the CLI that may use the server: <c>orleansflow server start</c> hosts it.</summary>
    public const string CliServerFolder = "src/Cli/Server/";

    /// <summary>The hosting entry point of ephemeral mode: the only project on the SDK's side allowed to reference the server.</summary>
    public const string EphemeralHost = "src/Sdk.Ephemeral/OrleansFlow.Sdk.Ephemeral.csproj";

    /// <summary>Projects that are the server, host it, or test it: not on the SDK's side.</summary>
    private static readonly string[] NotSdkSide =
    [
        "src/Grains/", "src/Silo/", "src/Gateway/", "src/Ui/",
        // `orleansflow server start` hosts the server in the CLI process.
        "src/Cli/",
        // Tests of the server and the shared test fixtures, which start real servers.
        "tests/",
    ];

    /// <summary>For each C# file of the CLI outside <see cref="CliServerFolder"/> that names a server namespace: the file
    /// and the line, e.g. <c>src/Cli/Commands/X.cs:3: using OrleansFlow.Silo.Queries;</c>. The CLI's project references the
    /// Gateway for <c>server start</c>, so only its sources can show that the other commands talk HTTP.</summary>
    public static IReadOnlyList<string> CliViolations(string root)
    {
        var cli = Path.Combine(root, "src", "Cli");
        if (!Directory.Exists(cli))
        {
            return [];
        }

        return
        [
            .. Directory.EnumerateFiles(cli, "*.cs", SearchOption.AllDirectories)
                .Select(file => (File: file, Relative: Path.GetRelativePath(root, file).Replace('\\', '/')))
                .Where(f => !f.Relative.StartsWith(CliServerFolder, StringComparison.Ordinal)
                    && !f.Relative.Split('/').Any(part => part is "bin" or "obj"))
                .OrderBy(f => f.Relative, StringComparer.Ordinal)
                .SelectMany(f => File.ReadLines(f.File).Select((line, i) => (Line: line, Number: i + 1))
                    .Where(l => ServerNamespaces.Any(ns => NamesNamespace(l.Line, ns)))
                    .Select(l => $"{f.Relative}:{l.Number}: {l.Line.Trim()}")),
        ];
    }

    /// <summary>True when <paramref name="line"/> names <paramref name="ns"/> or a namespace inside it (not merely a longer
    /// name that starts the same).</summary>
    private static bool NamesNamespace(string line, string ns)
    {
        for (var at = line.IndexOf(ns, StringComparison.Ordinal); at >= 0; at = line.IndexOf(ns, at + 1, StringComparison.Ordinal))
        {
            var end = at + ns.Length;
            if ((at == 0 || !char.IsLetterOrDigit(line[at - 1])) && (end == line.Length || !char.IsLetterOrDigit(line[end])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for a project on the SDK's side.</summary>
    public static bool IsSdkSide(string project) => project != EphemeralHost && !NotSdkSide.Any(project.StartsWith);

    /// <summary>For each project on the SDK's side that depends on a server project other than through
    /// <see cref="EphemeralHost"/>: the dependency path, e.g. <c>src/Sdk/… -> src/Gateway/…</c>.</summary>
    public static IReadOnlyList<string> Violations(ProjectGraph graph) =>
    [
        .. graph.Projects.Where(IsSdkSide).OrderBy(p => p, StringComparer.Ordinal).SelectMany(project =>
            // Through the ephemeral host is the allowed way to have a server in-process: its references are not followed.
            graph.Closure(project, EphemeralHost)
                .Where(dependency => Server.Contains(dependency.Key))
                .Select(dependency => dependency.Value)),
    ];
}
