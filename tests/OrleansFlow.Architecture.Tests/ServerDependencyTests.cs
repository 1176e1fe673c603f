namespace OrleansFlow.Architecture.Tests;

/// <summary>The SDK's side of the repository knows the server only through <c>OrleansFlow.Client</c>; only the ephemeral
/// hosting entry point references the Gateway (and through it the Silo).</summary>
public sealed class ServerDependencyTests
{
    /// <summary>The repository root (the folder holding OrleansFlow.sln above the test assembly).</summary>
    internal static readonly string RepositoryRoot = FindRoot();

    [Fact]
    public void Repository_SdkSideProjects_ReferenceNoServerProjectExceptThroughTheEphemeralHost()
    {
        var graph = ProjectGraph.Load(RepositoryRoot);

        var violations = DependencyRules.Violations(graph);

        Assert.True(violations.Count == 0, "Projects on the SDK's side depend on the server:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void Repository_EphemeralHost_IsTheOneSdkProjectThatReferencesTheGateway()
    {
        var graph = ProjectGraph.Load(RepositoryRoot);

        Assert.Contains("src/Gateway/OrleansFlow.Gateway.csproj", graph.Direct(DependencyRules.EphemeralHost));
        Assert.Contains("src/Sdk/OrleansFlow.Sdk.csproj", graph.Direct(DependencyRules.EphemeralHost));
        // The rules see the real projects: the SDK, the client and the samples are on the SDK's side.
        Assert.True(DependencyRules.IsSdkSide("src/Sdk/OrleansFlow.Sdk.csproj"));
        Assert.True(DependencyRules.IsSdkSide("src/Client/OrleansFlow.Client.csproj"));
        Assert.Contains(graph.Projects, p => p.StartsWith("samples/", StringComparison.Ordinal) && DependencyRules.IsSdkSide(p));
    }

    [Fact]
    public void Violations_SdkProjectReferencingTheSilo_IsReported()
    {
        // A small copy of the layout where the SDK references the Silo directly, the worker the grains, and a sample
        // reaches the Gateway through a helper project: all three must be reported; the sample through the ephemeral host
        // must not.
        var root = Directory.CreateTempSubdirectory("orleansflow-arch-").FullName;
        try
        {
            WriteProject(root, "src/Gateway/OrleansFlow.Gateway.csproj", "../Silo/OrleansFlow.Silo.csproj");
            WriteProject(root, "src/Silo/OrleansFlow.Silo.csproj");
            WriteProject(root, "src/Sdk/OrleansFlow.Sdk.csproj", "../Silo/OrleansFlow.Silo.csproj");
            WriteProject(root, "src/Sdk.Ephemeral/OrleansFlow.Sdk.Ephemeral.csproj", "../Gateway/OrleansFlow.Gateway.csproj");
            WriteProject(root, "samples/Helper/Helper.csproj", "../../src/Gateway/OrleansFlow.Gateway.csproj");
            WriteProject(root, "samples/Bad/Bad.csproj", "../Helper/Helper.csproj");
            WriteProject(root, "samples/Good/Good.csproj", "../../src/Sdk.Ephemeral/OrleansFlow.Sdk.Ephemeral.csproj");
            WriteProject(root, "src/Grains/OrleansFlow.Grains.csproj");
            WriteProject(root, "src/Worker/OrleansFlow.Worker.csproj", "../Grains/OrleansFlow.Grains.csproj");

            var violations = DependencyRules.Violations(ProjectGraph.Load(root));

            Assert.Contains("src/Sdk/OrleansFlow.Sdk.csproj -> src/Silo/OrleansFlow.Silo.csproj", violations);
            Assert.Contains("src/Worker/OrleansFlow.Worker.csproj -> src/Grains/OrleansFlow.Grains.csproj", violations);
            Assert.Contains("samples/Bad/Bad.csproj -> samples/Helper/Helper.csproj -> src/Gateway/OrleansFlow.Gateway.csproj", violations);
            Assert.DoesNotContain(violations, v => v.StartsWith("samples/Good/", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Repository_CliCommandsOtherThanServer_NameNoServerNamespace()
    {
        var violations = DependencyRules.CliViolations(RepositoryRoot);

        Assert.True(violations.Count == 0, "CLI commands other than `server` use the server directly:\n" + string.Join('\n', violations));
        // The rule reads the real sources: the server command itself does use the Gateway.
        Assert.Contains("OrleansFlow.Gateway", File.ReadAllText(Path.Combine(RepositoryRoot, DependencyRules.CliServerFolder, "ServerCommand.cs")), StringComparison.Ordinal);
    }

    [Fact]
    public void CliViolations_CommandUsingTheSilo_IsReported()
    {
        var root = Directory.CreateTempSubdirectory("orleansflow-arch-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "src/Cli/Commands"));
            Directory.CreateDirectory(Path.Combine(root, "src/Cli/Server"));
            File.WriteAllText(Path.Combine(root, "src/Cli/Commands/Bad.cs"), "using OrleansFlow.Client;\nusing OrleansFlow.Silo.Queries;\n");
            File.WriteAllText(Path.Combine(root, "src/Cli/Commands/Fine.cs"), "using OrleansFlow.SiloLike;\nvar x = OrleansFlow.Client.StateType.Running;\n");
            File.WriteAllText(Path.Combine(root, "src/Cli/Server/ServerCommand.cs"), "using OrleansFlow.Gateway;\n");

            var violations = DependencyRules.CliViolations(root);

            Assert.Equal(["src/Cli/Commands/Bad.cs:2: using OrleansFlow.Silo.Queries;"], violations);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData(typeof(OrleansFlow.Client.OrleansFlowClient))]
    [InlineData(typeof(OrleansFlow.FlowAttribute))]
    [InlineData(typeof(OrleansFlow.Worker.IWorker))]
    public void Assembly_ClientSdkAndWorker_ReferenceNeitherTheServerNorTheGrains(Type type)
    {
        var referenced = type.Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.DoesNotContain(referenced, name => name is "OrleansFlow.Gateway" or "OrleansFlow.Silo" or "OrleansFlow.Grains"
            or "OrleansFlow.Grains.Implementation" or "OrleansFlow.Ui");
        Assert.DoesNotContain(referenced, name => name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    /// <summary>Writes a project file at <paramref name="project"/> under <paramref name="root"/> with these project references.</summary>
    internal static void WriteProject(string root, string project, params string[] references)
    {
        var path = Path.Combine(root, project);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
            {string.Concat(references.Select(r => $"    <ProjectReference Include=\"{r}\" />\n"))}  </ItemGroup>
            </Project>
            """);
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "OrleansFlow.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No OrleansFlow.sln above {AppContext.BaseDirectory}.");
    }
}
