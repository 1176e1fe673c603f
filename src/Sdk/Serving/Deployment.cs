using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Results;
using OrleansFlow.Runtime;

namespace OrleansFlow;

/// <summary>A deployment of a <c>[Flow]</c> method that <see cref="Flows.ServeAsync(Deployment[])"/> registers on the server
/// and whose runs it runs in the serving process: its name (unique per flow), default parameters, schedule, tags and
/// description. Build one with <see cref="For(Delegate, string, string?, TimeSpan?, string?, string?, object?, IEnumerable{string}?, string?, string?, bool)"/>.</summary>
/// <example><code>
/// await Flows.ServeAsync(cancellationToken,
///     Deployment.For(MyFlows.Etl, name: "nightly", cron: "0 3 * * *", parameters: new { day = "yesterday" }, tags: ["etl"]),
///     Deployment.For(MyFlows.Report, name: "on-demand"));
/// </code></example>
public sealed record Deployment
{
    private Deployment(FlowDefinition flow, string name)
    {
        Flow = flow;
        Name = name;
    }

    /// <summary>The flow method and its options.</summary>
    public FlowDefinition Flow { get; }

    /// <summary>The flow's name on the server (<see cref="FlowAttribute.Name"/>, else the method name in kebab case).</summary>
    public string FlowName => Flow.Options.Name ?? RunNames.Kebab(Flow.Method.Name);

    /// <summary>The deployment's name, unique per flow.</summary>
    public string Name { get; }

    /// <summary>When runs are due on their own; null: only runs created on demand (<c>create_flow_run</c>).</summary>
    public DeploymentSchedule? Schedule { get; init; }

    /// <summary>True registers the schedule paused.</summary>
    public bool Paused { get; init; }

    /// <summary>Default parameters of its runs, by flow parameter name, as JSON (a run's own parameters override them).</summary>
    public JsonObject Parameters { get; init; } = [];

    /// <summary>Tags of its runs.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>A description shown with the deployment.</summary>
    public string? Description { get; init; }

    /// <summary>The version of the code (default the flow's <see cref="FlowAttribute.Version"/>).</summary>
    public string? Version { get; init; }

    /// <summary>A deployment of the flow method <paramref name="flow"/> (a method group such as <c>MyFlows.Etl</c>).</summary>
    /// <param name="flow">A static <c>[Flow]</c> method.</param>
    /// <param name="name">The deployment's name, unique per flow.</param>
    /// <param name="cron">A cron schedule (5 fields), in <paramref name="timezone"/>.</param>
    /// <param name="interval">An interval schedule, in <paramref name="timezone"/>.</param>
    /// <param name="rrule">An RFC 5545 RRULE schedule.</param>
    /// <param name="timezone">The IANA time zone of the schedule; default UTC.</param>
    /// <param name="parameters">Default parameters: an object whose properties are the flow's parameter names
    /// (<c>new { day = "monday" }</c>) or a dictionary; serialized as the flow's parameters are.</param>
    /// <param name="tags">Tags of its runs.</param>
    /// <param name="description">A description.</param>
    /// <param name="version">The code's version.</param>
    /// <param name="paused">True registers the schedule paused.</param>
    /// <exception cref="ArgumentException">The method is no static <c>[Flow]</c> method, more than one schedule is given, or
    /// the parameters name no parameter of the flow.</exception>
    public static Deployment For(Delegate flow, string name, string? cron = null, TimeSpan? interval = null, string? rrule = null,
        string? timezone = null, object? parameters = null, IEnumerable<string>? tags = null, string? description = null,
        string? version = null, bool paused = false)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return For(flow.Method, name, cron, interval, rrule, timezone, parameters, tags, description, version, paused);
    }

    /// <summary>A deployment of the flow method <paramref name="flow"/>; see
    /// <see cref="For(Delegate, string, string?, TimeSpan?, string?, string?, object?, IEnumerable{string}?, string?, string?, bool)"/>.</summary>
    /// <exception cref="ArgumentException">The method is no static non-generic <c>[Flow]</c> method, more than one schedule is
    /// given, or the parameters name no parameter of the flow.</exception>
    public static Deployment For(MethodInfo flow, string name, string? cron = null, TimeSpan? interval = null, string? rrule = null,
        string? timezone = null, object? parameters = null, IEnumerable<string>? tags = null, string? description = null,
        string? version = null, bool paused = false)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!flow.IsStatic || flow.ContainsGenericParameters)
        {
            throw new ArgumentException($"{flow.DeclaringType?.Name}.{flow.Name} must be a static, non-generic [Flow] method to be served.", nameof(flow));
        }

        var definition = FlowDefinition.For(flow);
        if (new object?[] { cron, interval, rrule }.Count(x => x is not null) > 1)
        {
            throw new ArgumentException("Give at most one of cron, interval and rrule.", nameof(cron));
        }

        var schedule = cron is not null ? DeploymentSchedule.Cron(cron, timezone)
            : interval is { } every ? DeploymentSchedule.Every(every, null, timezone)
            : rrule is not null ? DeploymentSchedule.RRule(rrule, timezone)
            : null;
        return new Deployment(definition, name)
        {
            Schedule = schedule,
            Paused = paused,
            Parameters = ParametersOf(flow, parameters),
            Tags = [.. tags ?? []],
            Description = description,
            Version = version ?? definition.Options.Version,
        };
    }

    /// <summary>The JSON schema of the flow's parameters (its <see cref="CancellationToken"/> parameters left out: the
    /// serving process passes the run's token), with <c>additionalProperties: false</c> since the method takes no others,
    /// so that the server refuses a run with an unknown parameter (422 naming it).</summary>
    public JsonObject ParameterSchemaJson()
    {
        var schema = ParameterSchema.For(Flow.Method);
        schema["additionalProperties"] = false;
        var tokens = Flow.Method.GetParameters().Where(p => p.ParameterType == typeof(CancellationToken)).Select(p => p.Name ?? "").ToHashSet();
        if (tokens.Count > 0 && schema["properties"] is JsonObject properties)
        {
            foreach (var token in tokens)
            {
                properties.Remove(token);
            }

            if (schema["required"] is JsonArray required)
            {
                foreach (var item in required.Where(r => tokens.Contains(r!.GetValue<string>())).ToArray())
                {
                    required.Remove(item);
                }

                if (required.Count == 0)
                {
                    schema.Remove("required");
                }
            }
        }

        return schema;
    }

    private static JsonObject ParametersOf(MethodInfo flow, object? parameters)
    {
        if (parameters is null)
        {
            return [];
        }

        var json = (parameters as JsonObject)?.DeepClone() as JsonObject
            ?? JsonSerializer.SerializeToNode(parameters, parameters.GetType(), ResultStore.ValueOptions) as JsonObject
            ?? throw new ArgumentException("The parameters must be an object or a dictionary of the flow's parameters by name.", nameof(parameters));
        var names = flow.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken)).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, _) in json)
        {
            if (!names.Contains(name))
            {
                throw new ArgumentException($"The flow {flow.Name} has no parameter '{name}' (it has: {string.Join(", ", names)}).", nameof(parameters));
            }
        }

        return json;
    }
}
