namespace OrleansFlow.Architecture.Tests;

/// <summary>Which project may depend on the server. The SDK's side (the client contract, the SDK, its generator, the worker,
/// and every flow program, sample and benchmark built on them) knows the server only through the HTTP client; the one
/// exception is the ephemeral-mode hosting entry point, <c>src/Sdk.Ephemeral</c>, which starts a server in-process.</summary>
internal static class DependencyRules
{
    /// <summary>The server's projects.</summary>
    public static readonly string[] Server = ["src/Gateway/OrleansFlow.Gateway.csproj", "src/Silo/OrleansFlow.Silo.csproj", "src/Ui/OrleansFlow.Ui.csproj"];

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
