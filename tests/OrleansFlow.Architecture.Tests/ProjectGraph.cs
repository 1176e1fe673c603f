using System.Xml.Linq;

namespace OrleansFlow.Architecture.Tests;

/// <summary>The repository's projects and their <c>ProjectReference</c>s, read from the project files.</summary>
internal sealed class ProjectGraph
{
    private readonly Dictionary<string, IReadOnlyList<string>> _references;

    private ProjectGraph(string root, Dictionary<string, IReadOnlyList<string>> references)
    {
        Root = root;
        _references = references;
    }

    /// <summary>The folder the paths are relative to.</summary>
    public string Root { get; }

    /// <summary>Every project, as a path relative to <see cref="Root"/> with <c>/</c> separators.</summary>
    public IEnumerable<string> Projects => _references.Keys;

    /// <summary>Reads every <c>*.csproj</c> under <paramref name="root"/> (skipping bin/obj).</summary>
    public static ProjectGraph Load(string root)
    {
        var references = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories))
        {
            var relative = Relative(root, file);
            if (relative.Split('/').Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(file)!;
            references[relative] = [.. XDocument.Load(file).Descendants()
                .Where(e => e.Name.LocalName == "ProjectReference" && e.Attribute("Include") is not null)
                .Select(e => Relative(root, Path.GetFullPath(Path.Combine(folder, e.Attribute("Include")!.Value.Replace('\\', '/')))))];
        }

        return new ProjectGraph(root, references);
    }

    /// <summary>The projects <paramref name="project"/> references directly.</summary>
    public IReadOnlyList<string> Direct(string project) => _references.TryGetValue(project, out var direct) ? direct : [];

    /// <summary>Every project <paramref name="project"/> depends on, directly or through others, with the path that leads
    /// there (for the failure message). The references of <paramref name="opaque"/> projects are not followed.</summary>
    public Dictionary<string, string> Closure(string project, params string[] opaque)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<(string Project, string Path)>([(project, project)]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var next in Direct(current.Project))
            {
                if (found.TryAdd(next, $"{current.Path} -> {next}") && !opaque.Contains(next))
                {
                    queue.Enqueue((next, found[next]));
                }
            }
        }

        return found;
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
