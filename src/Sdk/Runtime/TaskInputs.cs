using System.Collections;
using OrleansFlow.Client;

namespace OrleansFlow.Runtime;

/// <summary>A task run's <c>task_inputs</c>, as Prefect records them: for each parameter, the upstream task runs its value
/// came from (<c>{"input_type": "task_run", "id": ...}</c>), found from futures passed as arguments and from results the
/// flow's earlier task runs returned (tracked by object identity, like Prefect does); plus <c>wait_for</c>. The UI draws
/// the task dependency graph from them.</summary>
internal static class TaskInputs
{
    private const int MaxItemsInspected = 1000;

    public static Dictionary<string, IReadOnlyList<TaskRunInput>> For(string[] names, object?[] args, FlowRunContext flow, Submission? submission)
    {
        var inputs = new Dictionary<string, IReadOnlyList<TaskRunInput>>(names.Length + 1, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            inputs[names[i]] = Upstream(args[i], flow);
        }

        if (submission is { WaitFor.Length: > 0 })
        {
            inputs["wait_for"] = (TaskRunInput[])[.. submission.WaitFor.Select(f => f.Submission?.TaskRunId).OfType<Guid>().Distinct().Select(Reference)];
        }

        return inputs;
    }

    private static TaskRunInput[] Upstream(object? value, FlowRunContext flow)
    {
        if (value is null || value is string || value.GetType().IsValueType)
        {
            return [];
        }

        var ids = new HashSet<Guid>();
        Add(value, flow, ids);
        if (ids.Count == 0 && value is IEnumerable items and not IDictionary)
        {
            foreach (var item in items.Cast<object?>().Take(MaxItemsInspected))
            {
                if (item is not null and not string && !item.GetType().IsValueType)
                {
                    Add(item, flow, ids);
                }
            }
        }

        return [.. ids.Select(Reference)];
    }

    private static void Add(object value, FlowRunContext flow, HashSet<Guid> ids)
    {
        if (value is TaskFuture { Submission.TaskRunId: { } fromFuture })
        {
            ids.Add(fromFuture);
        }
        else if (flow.ResultOwner(value) is { } owner)
        {
            ids.Add(owner);
        }
    }

    private static TaskRunInput Reference(Guid id) => new("task_run", id);
}
