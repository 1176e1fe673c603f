using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json.Nodes;

namespace OrleansFlow.Cli.Commands;

/// <summary>The <c>--state</c> and <c>--state-type</c> options of <c>flow-run ls</c> and <c>task-run ls</c>, and the state
/// condition of the filter body they make. <c>--state</c> takes a state type or a state name in any case;
/// <c>--state-type</c> a type only. Each may be repeated: a run in any of the states given is listed.</summary>
internal sealed class StateFilter
{
    private static readonly string[] StateTypes = ["SCHEDULED", "PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED", "CANCELLING", "CRASHED", "PAUSED"];

    /// <summary>The names the server gives a run's states beyond its type's own (<c>Late</c> is a SCHEDULED run past its
    /// time, <c>Retrying</c> a RUNNING one after a retry...).</summary>
    private static readonly string[] StateNames = ["Late", "AwaitingRetry", "Retrying", "Cached", "Suspended", "Resuming"];

    public StateFilter(string runs)
    {
        State = new Option<string[]>("--state", "-s")
        {
            Description = $"Only {runs} in this state: a type (RUNNING, FAILED...) or a state name (Late, Retrying...), in any case; repeat for {runs} in any of several.",
            AllowMultipleArgumentsPerToken = false,
        };
        State.Validators.Add(result => Validate(result, "--state", v => StateOf(v) is not null,
            $"is not a state type ({string.Join(", ", StateTypes)}) or a state name ({string.Join(", ", StateNames)})"));
        StateType = new Option<string[]>("--state-type")
        {
            Description = $"Only {runs} whose state is of this type ({string.Join(", ", StateTypes)}), in any case; repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        StateType.Validators.Add(result => Validate(result, "--state-type", v => TypeOf(v) is not null, $"is not a state type ({string.Join(", ", StateTypes)})"));
        StateType.CompletionSources.Add(StateTypes);
    }

    public Option<string[]> State { get; }

    public Option<string[]> StateType { get; }

    /// <summary>The <c>state</c> condition of a run filter for what was given, or null when neither option was: a run
    /// matches when its state's type is one of the types given or its state's name one of the names given.</summary>
    public JsonObject? Condition(ParseResult parse)
    {
        var parsed = (parse.GetValue(State) ?? []).Select(s => StateOf(s)!.Value)
            .Concat((parse.GetValue(StateType) ?? []).Select(t => ((string?)TypeOf(t), (string?)null)))
            .ToArray();
        if (parsed.Length == 0)
        {
            return null;
        }

        var condition = new JsonObject { ["operator"] = "or_" };
        var types = parsed.Where(p => p.Item1 is not null).Select(p => p.Item1!).Distinct().Select(t => (JsonNode)t).ToArray();
        var names = parsed.Where(p => p.Item2 is not null).Select(p => p.Item2!).Distinct().Select(n => (JsonNode)n).ToArray();
        if (types.Length > 0)
        {
            condition["type"] = new JsonObject { ["any_"] = new JsonArray(types) };
        }

        if (names.Length > 0)
        {
            condition["name"] = new JsonObject { ["any_"] = new JsonArray(names) };
        }

        return condition;
    }

    private static void Validate(OptionResult result, string option, Func<string, bool> valid, string why)
    {
        foreach (var bad in result.Tokens.Select(t => t.Value).Where(v => !valid(v)))
        {
            result.AddError($"{option}: '{bad}' {why}.");
        }
    }

    private static string? TypeOf(string state) => StateTypes.FirstOrDefault(t => string.Equals(t, state, StringComparison.OrdinalIgnoreCase));

    /// <summary>The state type <paramref name="state"/> names, or else the state name it spells in any case; null when it is
    /// neither.</summary>
    private static (string? Type, string? Name)? StateOf(string state)
    {
        if (TypeOf(state) is { } type)
        {
            return (type, null);
        }

        var name = StateNames.FirstOrDefault(n => string.Equals(n, state, StringComparison.OrdinalIgnoreCase));
        return name is null ? null : (null, name);
    }
}
