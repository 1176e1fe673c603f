namespace OrleansFlow.Architecture.Tests;

/// <summary>The shape of the whole repository: every project under <c>src/</c> and <c>bench/</c> references only the
/// projects its layer allows (a new project fails here until it is placed), samples use only the SDK package, and no
/// references form a cycle. The layers, bottom up: the grain interfaces and rules (Grains) and the wire contract
/// (Client) know nothing of ours; the grain classes (Grains.Implementation) know only the grain interfaces, and declare
/// the stores they persist through; the Silo hosts the grains and implements those stores; the UI reads through the Silo; the Gateway serves HTTP over
/// both; the CLI and ephemeral mode host the Gateway; the SDK and the worker talk HTTP through the Client.</summary>
public sealed class LayeringTests
{
    /// <summary>For each project, the projects it may reference directly.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["src/Grains/OrleansFlow.Grains.csproj"] = [],
        ["src/Client/OrleansFlow.Client.csproj"] = [],
        ["src/Sdk.Generators/OrleansFlow.Sdk.Generators.csproj"] = [],
        ["src/Templates/OrleansFlow.Templates.csproj"] = [],
        ["src/Templates/content/orleansflow-flow/Company.Flow1.csproj"] = [],
        ["src/Grains/Implementation/OrleansFlow.Grains.Implementation.csproj"] = ["src/Grains/OrleansFlow.Grains.csproj"],
        ["src/Silo/OrleansFlow.Silo.csproj"] = ["src/Grains/OrleansFlow.Grains.csproj", "src/Grains/Implementation/OrleansFlow.Grains.Implementation.csproj"],
        ["src/Ui/OrleansFlow.Ui.csproj"] = ["src/Silo/OrleansFlow.Silo.csproj"],
        ["src/Gateway/OrleansFlow.Gateway.csproj"] =
            ["src/Silo/OrleansFlow.Silo.csproj", "src/Ui/OrleansFlow.Ui.csproj", "src/Client/OrleansFlow.Client.csproj"],
        ["src/Sdk/OrleansFlow.Sdk.csproj"] = ["src/Client/OrleansFlow.Client.csproj", "src/Sdk.Generators/OrleansFlow.Sdk.Generators.csproj"],
        ["src/Sdk.Ephemeral/OrleansFlow.Sdk.Ephemeral.csproj"] = ["src/Sdk/OrleansFlow.Sdk.csproj", "src/Gateway/OrleansFlow.Gateway.csproj"],
        ["src/Worker/OrleansFlow.Worker.csproj"] = ["src/Client/OrleansFlow.Client.csproj"],
        ["src/Cli/OrleansFlow.Cli.csproj"] =
            ["src/Gateway/OrleansFlow.Gateway.csproj", "src/Client/OrleansFlow.Client.csproj", "src/Worker/OrleansFlow.Worker.csproj"],
        ["bench/OrleansFlow.Bench/OrleansFlow.Bench.csproj"] =
        [
            "src/Client/OrleansFlow.Client.csproj", "src/Worker/OrleansFlow.Worker.csproj", "src/Sdk/OrleansFlow.Sdk.csproj",
            "bench/OrleansFlow.Bench/PickupFlow/PickupFlow.csproj",
        ],
        ["bench/OrleansFlow.Bench/PickupFlow/PickupFlow.csproj"] = ["src/Sdk/OrleansFlow.Sdk.csproj"],
        ["bench/OrleansFlow.Bench.Sdk/OrleansFlow.Bench.Sdk.csproj"] = ["src/Sdk.Ephemeral/OrleansFlow.Sdk.Ephemeral.csproj"],
    };

    /// <summary>What a sample may reference: the SDK, with or without ephemeral mode.</summary>
    private static readonly string[] SampleAllowed = ["src/Sdk/OrleansFlow.Sdk.csproj", "src/Sdk.Ephemeral/OrleansFlow.Sdk.Ephemeral.csproj"];

    [Fact]
    public void Repository_EveryProductAndBenchProject_IsPlacedInALayer()
    {
        var graph = ProjectGraph.Load(ServerDependencyTests.RepositoryRoot);

        var unplaced = graph.Projects.Where(p => (p.StartsWith("src/", StringComparison.Ordinal) || p.StartsWith("bench/", StringComparison.Ordinal)) && !Allowed.ContainsKey(p))
            .OrderBy(p => p, StringComparer.Ordinal).ToList();

        Assert.True(unplaced.Count == 0, "Projects with no entry in LayeringTests.Allowed (say what they may reference):\n" + string.Join('\n', unplaced));
        Assert.All(Allowed.Keys, p => Assert.Contains(p, graph.Projects));
    }

    [Fact]
    public void Repository_EveryProject_ReferencesOnlyWhatItsLayerAllows()
    {
        var graph = ProjectGraph.Load(ServerDependencyTests.RepositoryRoot);

        var violations = Violations(graph);

        Assert.True(violations.Count == 0, "References across the layering:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void Repository_ProjectReferences_FormNoCycle()
    {
        var graph = ProjectGraph.Load(ServerDependencyTests.RepositoryRoot);

        var cyclic = graph.Projects.Where(p => graph.Closure(p).ContainsKey(p)).OrderBy(p => p, StringComparer.Ordinal).ToList();

        Assert.True(cyclic.Count == 0, "Projects that depend on themselves:\n" + string.Join('\n', cyclic.Select(p => graph.Closure(p)[p])));
    }

    [Fact]
    public void Violations_ASiloReferencingTheGatewayAndASampleReferencingTheWorker_AreReported()
    {
        var root = Directory.CreateTempSubdirectory("orleansflow-layers-").FullName;
        try
        {
            ServerDependencyTests.WriteProject(root, "src/Silo/OrleansFlow.Silo.csproj", "../Gateway/OrleansFlow.Gateway.csproj");
            ServerDependencyTests.WriteProject(root, "src/Gateway/OrleansFlow.Gateway.csproj", "../Silo/OrleansFlow.Silo.csproj");
            ServerDependencyTests.WriteProject(root, "src/Worker/OrleansFlow.Worker.csproj");
            ServerDependencyTests.WriteProject(root, "samples/Bad/Bad.csproj", "../../src/Worker/OrleansFlow.Worker.csproj");
            var graph = ProjectGraph.Load(root);

            var violations = Violations(graph);

            Assert.Contains("src/Silo/OrleansFlow.Silo.csproj -> src/Gateway/OrleansFlow.Gateway.csproj", violations);
            Assert.Contains("samples/Bad/Bad.csproj -> src/Worker/OrleansFlow.Worker.csproj", violations);
            Assert.DoesNotContain("src/Gateway/OrleansFlow.Gateway.csproj -> src/Silo/OrleansFlow.Silo.csproj", violations);
            Assert.Contains("src/Silo/OrleansFlow.Silo.csproj", graph.Closure("src/Silo/OrleansFlow.Silo.csproj").Keys);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Each direct reference a project may not have, as <c>project -> reference</c>.</summary>
    private static List<string> Violations(ProjectGraph graph) =>
    [
        .. graph.Projects.OrderBy(p => p, StringComparer.Ordinal).SelectMany(project =>
        {
            var allowed = project.StartsWith("samples/", StringComparison.Ordinal) ? SampleAllowed
                : Allowed.TryGetValue(project, out var listed) ? listed
                : null;
            return allowed is null
                ? []
                : graph.Direct(project).Where(reference => !allowed.Contains(reference)).Select(reference => $"{project} -> {reference}");
        }),
    ];
}
