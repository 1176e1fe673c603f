using System.Text.Json;
using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Ui.Rendering;

/// <summary>Lays out a flow run's task runs as a layered DAG, left to right: each task run's upstream task runs are the
/// <c>task_inputs</c> entries whose <c>input_type</c> is <c>task_run</c>; a task run sits one column right of its
/// deepest upstream; within a column task runs are ordered by the mean row of their upstreams (one barycentre pass),
/// then by start. Linear in nodes plus edges, so it stays cheap for the few hundred task runs a page draws.</summary>
internal sealed class TaskGraphLayout
{
    public const int NodeWidth = 190;
    public const int NodeHeight = 30;
    public const int ColumnGap = 56;
    public const int RowGap = 10;
    public const int Margin = 8;

    private TaskGraphLayout(IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphEdge> edges, int width, int height, int hiddenEdges)
    {
        Nodes = nodes;
        Edges = edges;
        Width = width;
        Height = height;
        HiddenEdges = hiddenEdges;
    }

    /// <summary>The placed task runs.</summary>
    public IReadOnlyList<GraphNode> Nodes { get; }

    /// <summary>The dependencies between placed task runs (upstream to downstream).</summary>
    public IReadOnlyList<GraphEdge> Edges { get; }

    /// <summary>The drawing's width in pixels.</summary>
    public int Width { get; }

    /// <summary>The drawing's height in pixels.</summary>
    public int Height { get; }

    /// <summary>How many dependencies point at task runs that are not drawn (beyond the cap, or gone).</summary>
    public int HiddenEdges { get; }

    /// <summary>Lays out <paramref name="tasks"/> (in start order).</summary>
    public static TaskGraphLayout Build(IReadOnlyList<TaskRun> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var index = new Dictionary<Guid, int>(tasks.Count);
        for (var i = 0; i < tasks.Count; i++)
        {
            index.TryAdd(tasks[i].Id, i);
        }

        var upstream = new List<int>[tasks.Count];
        var downstream = new List<int>[tasks.Count];
        var hidden = 0;
        for (var i = 0; i < tasks.Count; i++)
        {
            upstream[i] = [];
            downstream[i] = [];
        }

        for (var i = 0; i < tasks.Count; i++)
        {
            foreach (var id in UpstreamIds(tasks[i].TaskInputs))
            {
                if (!index.TryGetValue(id, out var from))
                {
                    hidden++;
                }
                else if (from != i && !upstream[i].Contains(from))
                {
                    upstream[i].Add(from);
                    downstream[from].Add(i);
                }
            }
        }

        // Longest-path layering in topological order (Kahn); a cycle (never made by the SDK) is broken by placing its
        // task runs one column after the deepest placed one.
        var layer = new int[tasks.Count];
        var pending = new int[tasks.Count];
        var queue = new Queue<int>();
        for (var i = 0; i < tasks.Count; i++)
        {
            pending[i] = upstream[i].Count;
            if (pending[i] == 0)
            {
                queue.Enqueue(i);
            }
        }

        var placed = new bool[tasks.Count];
        var placedCount = 0;
        while (placedCount < tasks.Count)
        {
            if (queue.Count == 0)
            {
                var stuck = Array.FindIndex(placed, p => !p);
                layer[stuck] = upstream[stuck].Where(u => placed[u]).Select(u => layer[u] + 1).DefaultIfEmpty(0).Max();
                pending[stuck] = 0;
                queue.Enqueue(stuck);
            }

            var node = queue.Dequeue();
            if (placed[node])
            {
                continue;
            }

            placed[node] = true;
            placedCount++;
            foreach (var next in downstream[node])
            {
                layer[next] = Math.Max(layer[next], layer[node] + 1);
                if (--pending[next] == 0 && !placed[next])
                {
                    queue.Enqueue(next);
                }
            }
        }

        var columns = new List<List<int>>();
        for (var i = 0; i < tasks.Count; i++)
        {
            while (columns.Count <= layer[i])
            {
                columns.Add([]);
            }

            columns[layer[i]].Add(i);
        }

        var row = new double[tasks.Count];
        foreach (var column in columns)
        {
            var ordered = column
                .Select((node, position) => (node, key: upstream[node].Count == 0 ? position : upstream[node].Average(u => row[u]), position))
                .OrderBy(x => x.key).ThenBy(x => x.position).Select(x => x.node).ToList();
            for (var r = 0; r < ordered.Count; r++)
            {
                row[ordered[r]] = r;
            }
        }

        var nodes = new GraphNode[tasks.Count];
        for (var i = 0; i < tasks.Count; i++)
        {
            nodes[i] = new GraphNode(tasks[i], Margin + (layer[i] * (NodeWidth + ColumnGap)), Margin + ((int)row[i] * (NodeHeight + RowGap)));
        }

        var edges = new List<GraphEdge>();
        for (var i = 0; i < tasks.Count; i++)
        {
            edges.AddRange(upstream[i].Select(u => new GraphEdge(nodes[u], nodes[i])));
        }

        var tallest = columns.Count == 0 ? 0 : columns.Max(c => c.Count);
        var width = (2 * Margin) + (columns.Count * NodeWidth) + (Math.Max(0, columns.Count - 1) * ColumnGap);
        var height = (2 * Margin) + (tallest * NodeHeight) + (Math.Max(0, tallest - 1) * RowGap);
        return new TaskGraphLayout(nodes, edges, width, height, hidden);
    }

    /// <summary>The ids of the task runs a task run's <c>task_inputs</c> name (<c>{"x": [{"input_type": "task_run", "id": ...}]}</c>).</summary>
    public static IEnumerable<Guid> UpstreamIds(JsonElement? taskInputs)
    {
        if (taskInputs is not { ValueKind: JsonValueKind.Object } inputs)
        {
            yield break;
        }

        foreach (var input in inputs.EnumerateObject())
        {
            if (input.Value.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var entry in input.Value.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object
                    && entry.TryGetProperty("input_type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "task_run"
                    && entry.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && Guid.TryParse(id.GetString(), out var guid))
                {
                    yield return guid;
                }
            }
        }
    }
}
