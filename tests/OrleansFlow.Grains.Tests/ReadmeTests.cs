namespace OrleansFlow.Grains.Tests;

/// <summary>The README's C# snippet is held by a sample that CI builds and the SDK tests run, so it compiles.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public void ReadmeCSharpSnippet_EveryLine_StandsInTheEtlSampleInOrder()
    {
        var root = ArchitectureTests.RepositoryRoot;
        var readme = File.ReadAllLines(Path.Combine(root, "README.md"));
        var start = Array.IndexOf(readme, "```csharp");
        Assert.True(start >= 0, "README.md has no C# snippet.");
        var snippet = readme.Skip(start + 1).TakeWhile(line => line != "```").Where(line => line.Trim().Length > 0).ToList();
        var sample = File.ReadAllLines(Path.Combine(root, "samples", "Etl", "Program.cs"));

        var at = 0;
        foreach (var line in snippet)
        {
            var found = Array.IndexOf(sample, line, at);
            Assert.True(found >= 0, $"README line not found (in order) in samples/Etl/Program.cs: {line}");
            at = found + 1;
        }
    }
}
