using System.Xml.Linq;

namespace OrleansFlow.Grains.Tests;

/// <summary>Dependencies point one way (STYLE.md): Grains on nothing but the BCL and Orleans's abstractions, the grain
/// classes (Grains.Implementation) on Grains and Orleans alone, Silo on both and the Orleans runtime, Gateway on Silo (and on the Client, whose records are the wire contract it binds requests to);
/// the Sdk, Worker and Cli never on Silo internals beyond the hosting entry point.</summary>
public sealed class ArchitectureTests
{
    private static readonly string Root = FindRoot();

    /// <summary>The folder holding OrleansFlow.sln.</summary>
    internal static string RepositoryRoot => Root;

    [Theory]
    [InlineData("src/Grains/OrleansFlow.Grains.csproj", new string[0], new[] { "Microsoft.Orleans.Sdk" })]
    [InlineData("src/Grains/Implementation/OrleansFlow.Grains.Implementation.csproj", new[] { "OrleansFlow.Grains" },
        new[] { "Microsoft.Orleans.Sdk", "Microsoft.Orleans.Reminders" })]
    [InlineData("src/Silo/OrleansFlow.Silo.csproj", new[] { "OrleansFlow.Grains", "OrleansFlow.Grains.Implementation" },
        new[] { "Microsoft.Data.Sqlite", "Npgsql", "Microsoft.Orleans.Server", "Microsoft.Orleans.Sdk", "Microsoft.Orleans.Serialization.SystemTextJson",
            "Microsoft.Orleans.Clustering.AdoNet", "Microsoft.Orleans.Reminders.AdoNet" })]
    [InlineData("src/Gateway/OrleansFlow.Gateway.csproj", new[] { "OrleansFlow.Silo", "OrleansFlow.Ui", "OrleansFlow.Client" },
        new[] { "Microsoft.Orleans.Dashboard", "Microsoft.Orleans.Hosting.Kubernetes", "OpenTelemetry.Extensions.Hosting", "OpenTelemetry.Instrumentation.AspNetCore", "OpenTelemetry.Exporter.OpenTelemetryProtocol" })]
    [InlineData("src/Ui/OrleansFlow.Ui.csproj", new[] { "OrleansFlow.Silo" }, new string[0])]
    public void ProjectReferences_FollowTheLayering_OnlyAllowedReferences(string project, string[] allowedProjects, string[] allowedPackages)
    {
        var document = XDocument.Load(Path.Combine(Root, project));
        var projects = document.Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();
        var packages = document.Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value).ToList();

        Assert.All(projects, p => Assert.Contains(p, allowedProjects));
        Assert.All(packages, p => Assert.Contains(p, allowedPackages));
    }

    [Fact]
    public void GrainsAssembly_ReferencesOnlyTheBaseClassLibraryAndOrleans_NoStorageOrHttp()
    {
        var references = typeof(States.State).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.All(references, name => Assert.True(
            name.StartsWith("System", StringComparison.Ordinal) || name.StartsWith("Orleans.", StringComparison.Ordinal)
                || name is "netstandard" or "mscorlib",
            $"OrleansFlow.Grains references {name}, which is neither the BCL nor Orleans."));
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OrleansFlow.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("OrleansFlow.sln not found above the test assembly.");
    }
}
