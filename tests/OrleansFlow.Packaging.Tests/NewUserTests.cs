using System.IO.Compression;
using System.Text.RegularExpressions;
using OrleansFlow.Client;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Packaging.Tests;

/// <summary>The packages as a new user meets them: everything packed into a local folder feed; an empty console project
/// that adds <c>OrleansFlow.Sdk</c> and the README's ETL snippet, run with no server; the <c>orleansflow</c> tool; the
/// <c>dotnet new orleansflow-flow</c> template. Third-party dependencies restore from the machine's configured sources.</summary>
public sealed partial class NewUserTests
{
    private static readonly string RepositoryRoot = FindRoot();

    [Fact]
    public async Task Packages_NewUserAddsTheSdkToAConsoleProject_ReadmeFlowRunsWithNoServer_ToolAndTemplateWork()
    {
        var work = Directory.CreateTempSubdirectory("orleansflow-new-user-").FullName;
        try
        {
            // A version of its own, so that no package of an earlier run in the global packages folder is taken instead.
            var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
            var feed = Directory.CreateDirectory(Path.Combine(work, "feed")).FullName;
            var environment = new Dictionary<string, string?>();
            await Dotnet.RunAsync(RepositoryRoot, environment, "pack", "OrleansFlow.sln", "--no-build", "-c", Configuration(), "-o", feed,
                $"-p:Version={version}");
            Assert.True(File.Exists(Path.Combine(feed, $"OrleansFlow.Sdk.{version}.nupkg")), "OrleansFlow.Sdk was not packed.");
            Assert.True(File.Exists(Path.Combine(feed, $"OrleansFlow.Client.{version}.nupkg")), "OrleansFlow.Client was not packed.");
            AssertMitLicensed(Directory.GetFiles(feed, "*.nupkg"));

            // The feed beside the machine's sources (the registry mirror), as a user's nuget.config would add it.
            var users = Directory.CreateDirectory(Path.Combine(work, "user")).FullName;
            await File.WriteAllTextAsync(Path.Combine(users, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="orleansflow-local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);

            // 1. dotnet new console + dotnet add package + the README's snippet + dotnet run: the flow and its 3 task runs
            //    are COMPLETED in the embedded database of ORLEANSFLOW_HOME.
            var app = Directory.CreateDirectory(Path.Combine(users, "etl")).FullName;
            await Dotnet.RunAsync(app, environment, "new", "console", "--framework", "net10.0");
            await Dotnet.RunAsync(app, environment, "add", "package", "OrleansFlow.Sdk", "--version", version);
            await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), ReadmeSnippet());
            var home = Path.Combine(work, "home");
            var output = await Dotnet.RunAsync(app, new Dictionary<string, string?> { ["ORLEANSFLOW_HOME"] = home }, "run");
            Assert.Contains("Loading data: Data { Users = 100, Events = 1000, Total = 1100 }", output, StringComparison.Ordinal);
            await AssertCompletedAsync(Path.Combine(home, "orleansflow.db"), "ETL Pipeline", taskRuns: 3);

            // 2. The tool.
            var tools = Path.Combine(work, "tools");
            await Dotnet.RunAsync(users, environment, "tool", "install", "--tool-path", tools, "orleansflow", "--add-source", feed, "--version", version);
            var reported = await Dotnet.RunProgramAsync(Path.Combine(tools, "orleansflow"), users, environment, "--version");
            Assert.StartsWith("0.1.0", reported.Trim(), StringComparison.Ordinal);

            // 3. The template, installed into a private template cache.
            var hive = Path.Combine(work, "hive");
            await Dotnet.RunAsync(users, environment, "new", "install", Path.Combine(feed, $"OrleansFlow.Templates.{version}.nupkg"),
                "--debug:custom-hive", hive);
            await Dotnet.RunAsync(users, environment, "new", "orleansflow-flow", "-o", "MyFlows", "--OrleansFlowVersion", version,
                "--debug:custom-hive", hive);
            var templateHome = Path.Combine(work, "template-home");
            var templateOutput = await Dotnet.RunAsync(Path.Combine(users, "MyFlows"),
                new Dictionary<string, string?> { ["ORLEANSFLOW_HOME"] = templateHome }, "run");
            Assert.Contains("Done: Report { Items = 3, Total = 6 }", templateOutput, StringComparison.Ordinal);
            await AssertCompletedAsync(Path.Combine(templateHome, "orleansflow.db"), "MyFlows", taskRuns: 3);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Every package declares the MIT license (the expression NuGet shows) and carries the repository's LICENSE.</summary>
    private static void AssertMitLicensed(string[] packages)
    {
        Assert.NotEmpty(packages);
        var license = File.ReadAllText(Path.Combine(RepositoryRoot, "LICENSE"));
        Assert.StartsWith("MIT License", license, StringComparison.Ordinal);
        foreach (var package in packages)
        {
            using var zip = ZipFile.OpenRead(package);
            var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
            using (var reader = new StreamReader(nuspec.Open()))
            {
                Assert.Contains("<license type=\"expression\">MIT</license>", reader.ReadToEnd(), StringComparison.Ordinal);
            }

            var packed = zip.GetEntry("LICENSE") ?? throw new Xunit.Sdk.XunitException($"{Path.GetFileName(package)} carries no LICENSE.");
            using var text = new StreamReader(packed.Open());
            Assert.Equal(license, text.ReadToEnd());
        }
    }

    /// <summary>Opens the database with a real server and checks that the one flow run of <paramref name="flow"/> and its
    /// task runs are all COMPLETED.</summary>
    private static async Task AssertCompletedAsync(string database, string flow, int taskRuns)
    {
        Assert.True(File.Exists(database), $"No database at {database}.");
        await using var server = await InProcessServer.StartAsync(new DatabaseOptions { DatabaseUrl = SqliteFiles.Url(database), Home = Path.GetDirectoryName(database)! });
        using var api = OrleansFlowClient.Create(new Uri(server.ApiUrl));
        var run = Assert.Single(await api.ReadFlowRunsAsync(new FlowRunFilter()));
        Assert.Equal(flow, (await api.ReadFlowAsync(run.FlowId)).Name);
        Assert.Equal(StateType.Completed, run.StateType);
        var tasks = await api.ReadTaskRunsAsync(new TaskRunFilter { TaskRuns = new TaskRunConditions { FlowRunId = new AnyOf<Guid>([run.Id]) } });
        Assert.Equal(taskRuns, tasks.Count);
        Assert.All(tasks, t => Assert.Equal(StateType.Completed, t.StateType));
    }

    /// <summary>The first C# block of the README's quick start, as a user would paste it.</summary>
    private static string ReadmeSnippet()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot, "README.md"));
        var start = readme.IndexOf("## Quick start", StringComparison.Ordinal);
        Assert.True(start >= 0, "The README has no quick start.");
        return CSharpBlock().Match(readme, start) is { Success: true } block ? block.Groups[1].Value : throw new InvalidOperationException("No C# block.");
    }

    /// <summary>Debug or Release: the configuration the solution was built in (the test's own).</summary>
    private static string Configuration() => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

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

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
