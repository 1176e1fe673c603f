using System.Text.RegularExpressions;

namespace OrleansFlow.Architecture.Tests;

/// <summary>Where the grains live, as Orleans projects lay them out: every grain class in <c>src/Grains/Implementation</c>
/// (which references only the grain interfaces), none in the silo that hosts them or anywhere else under <c>src/</c>.</summary>
public sealed partial class GrainPlacementTests
{
    private const string GrainClassFolder = "src/Grains/Implementation/";

    [Fact]
    public void Sources_EveryGrainClass_LivesInTheGrainImplementationProject()
    {
        var grains = GrainClasses(ServerDependencyTests.RepositoryRoot);

        var misplaced = grains.Where(g => !g.File.StartsWith(GrainClassFolder, StringComparison.Ordinal)).Select(g => $"{g.File}: {g.Name}").ToList();
        Assert.True(misplaced.Count == 0, $"Grain classes outside {GrainClassFolder}:\n" + string.Join('\n', misplaced));
        Assert.Superset(
            new HashSet<string>(["FlowRunGrain", "TaskRunGrain", "ConcurrencyLimitGrain", "WorkPoolGrain", "DeploymentGrain", "AutomationGrain",
                "AutomationDispatcherGrain", "FlowRunNotificationGrain", "HousekeeperGrain"], StringComparer.Ordinal),
            grains.Select(g => g.Name).ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void GrainClasses_AClassDerivingFromGrainInTheSilo_IsFound()
    {
        var root = Directory.CreateTempSubdirectory("orleansflow-arch-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "src/Silo/Runs"));
            File.WriteAllText(Path.Combine(root, "src/Silo/Runs/RunGrain.cs"), """
                internal sealed partial class RunGrain(IGrainServices services,
                    ILogger<RunGrain> logger)
                    : Grain, IRunGrain, IRemindable
                {
                }

                internal sealed class NotAGrain : GrainLike
                {
                }

                internal sealed class LoopGrain(IGrainServices services) : DrainLoopGrain(services, "loop", TimeSpan.FromSeconds(1)), ILoopGrain
                {
                }

                internal sealed class RunClient : IRunGrain
                {
                }
                """);

            Assert.Equal(new[] { ("src/Silo/Runs/RunGrain.cs", "RunGrain"), ("src/Silo/Runs/RunGrain.cs", "LoopGrain") }, GrainClasses(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Each class declared in a C# file under <c>src/</c> (build output aside) whose base class is Orleans'
    /// <c>Grain</c> (directly or through a base grain class): the file (relative, with forward slashes) and the class name.</summary>
    private static List<(string File, string Name)> GrainClasses(string root) =>
        [.. Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Where(file => !file.Contains("/bin/", StringComparison.Ordinal) && !file.Contains("/obj/", StringComparison.Ordinal))
            .SelectMany(file => GrainClass().Matches(File.ReadAllText(Path.Combine(root, file))).Select(m => (file, m.Groups["name"].Value)))
            .OrderBy(g => g.file, StringComparer.Ordinal)];

    // A class declaration (primary constructor and all, up to its body) whose base list starts with Grain or with a
    // base grain class of ours (a class named ...Grain, not an interface I...Grain).
    [GeneratedRegex(@"\bclass\s+(?<name>\w+)[^{;]*?:\s*(?!I[A-Z])\w*Grain\b(?!\w)")]
    private static partial Regex GrainClass();
}
