using System.Globalization;

namespace OrleansFlow.Worker.Tests;

/// <summary>Linux <c>/proc</c> look-ups for processes the test did not start itself.</summary>
internal static class Processes
{
    /// <summary>The ids of <paramref name="pid"/>'s child processes (empty when it is gone).</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        try
        {
            return [.. Directory.EnumerateDirectories($"/proc/{pid}/task")
                .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(id => int.Parse(id, CultureInfo.InvariantCulture))];
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException or IOException)
        {
            return [];
        }
    }

    /// <summary>True while <paramref name="pid"/> runs (a zombie, dead but not yet reaped by its parent, counts as gone).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // "pid (comm) S ...": the state follows the last ')'.
            var state = stat[(stat.LastIndexOf(')') + 2)..].TrimStart()[0];
            return state is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException or IOException)
        {
            return false;
        }
    }
}
