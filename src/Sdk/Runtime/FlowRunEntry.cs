using System.Reflection;
using System.Text.Json;
using OrleansFlow.Runtime;

namespace OrleansFlow;

/// <summary>Runs a flow run that exists already, as a worker starts it: the program's <c>Main</c> begins with
/// <c>if (await FlowRunEntry.TryRunFromEnvironmentAsync()) return;</c>. With <c>ORLEANSFLOW_FLOW_RUN_ID</c> set (the
/// worker sets it, and <c>ORLEANSFLOW_API_URL</c>), it reads the run and its flow's name, finds the static <c>[Flow]</c>
/// method of that name among the loaded assemblies, deserializes the run's stored parameters to the method's parameter
/// types, and drives that run (RUNNING, the body, COMPLETED or FAILED) exactly as a call of the flow drives a new one.</summary>
public static class FlowRunEntry
{
    /// <summary>The environment variable naming the flow run to run.</summary>
    public const string FlowRunIdVariable = "ORLEANSFLOW_FLOW_RUN_ID";

    /// <summary>The environment variable naming a file to describe the program's flows in instead of running anything:
    /// <c>orleansflow deploy</c> sets it to read each flow's parameter schema from the program itself.</summary>
    public const string DescribeVariable = "ORLEANSFLOW_DESCRIBE_FLOWS";

    /// <summary>Runs the flow run named by <c>ORLEANSFLOW_FLOW_RUN_ID</c>, if the variable is set.</summary>
    /// <param name="assemblies">Where to look for the flow; default every loaded assembly.</param>
    /// <returns>False when the variable is not set (the program goes on as usual); true after the run ended.</returns>
    /// <exception cref="Exception">The flow failed (its run is FAILED): the body's exception as is.</exception>
    /// <exception cref="InvalidOperationException">The run or its flow method cannot be found.</exception>
    public static async Task<bool> TryRunFromEnvironmentAsync(params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        if (Environment.GetEnvironmentVariable(DescribeVariable) is { Length: > 0 } describeTo)
        {
            await DescribeAsync(describeTo, assemblies).ConfigureAwait(false);
            return true;
        }

        if (Environment.GetEnvironmentVariable(FlowRunIdVariable) is not { Length: > 0 } text)
        {
            return false;
        }

        if (!Guid.TryParse(text, out var id))
        {
            throw new InvalidOperationException($"{FlowRunIdVariable} is not a run id: '{text}'.");
        }

        await RunAsync(id, assemblies).ConfigureAwait(false);
        return true;
    }

    /// <summary>Runs the existing flow run <paramref name="flowRunId"/> (PENDING or SCHEDULED) on the current server
    /// (<see cref="Flows.UseApi(string)"/>, else <c>ORLEANSFLOW_API_URL</c>), returning the flow's value.</summary>
    /// <param name="flowRunId">The run.</param>
    /// <param name="assemblies">Where to look for the flow; empty means every loaded assembly.</param>
    /// <exception cref="Exception">The flow failed (its run is FAILED): the body's exception as is.</exception>
    /// <exception cref="InvalidOperationException">The run or its flow method cannot be found.</exception>
    public static Task<object?> RunAsync(Guid flowRunId, params Assembly[] assemblies) => RunAsync(flowRunId, CancellationToken.None, assemblies);

    /// <summary>Runs the existing flow run <paramref name="flowRunId"/> like <see cref="RunAsync(Guid, Assembly[])"/>;
    /// cancelling <paramref name="cancellationToken"/> cancels the flow's <see cref="FlowRunContext.CancellationToken"/>,
    /// and a flow that stops on it ends CANCELLED (an <see cref="OperationCanceledException"/> is thrown).</summary>
    /// <param name="flowRunId">The run.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <param name="assemblies">Where to look for the flow; empty means every loaded assembly.</param>
    public static async Task<object?> RunAsync(Guid flowRunId, CancellationToken cancellationToken, params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        var client = await ServerConnection.GetClientAsync(cancellationToken).ConfigureAwait(false);
        var run = await client.Api.ReadFlowRunAsync(flowRunId, cancellationToken).ConfigureAwait(false);
        var flow = await client.Api.ReadFlowAsync(run.FlowId, cancellationToken).ConfigureAwait(false);
        var flowName = flow.Name;
        var method = FindFlow(flowName, assemblies.Length > 0 ? assemblies : AppDomain.CurrentDomain.GetAssemblies())
            ?? throw new InvalidOperationException($"No static [Flow] method named '{flowName}' in the loaded assemblies.");

        var stored = run.Parameters is { ValueKind: JsonValueKind.Object } p ? System.Text.Json.Nodes.JsonObject.Create(p) : null;
        return await StoredRunInvocation.RunAsync(FlowDefinition.For(method), new CreatedRun(flowRunId, run.Name),
            stored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <c>{"flows": [{"name", "method", "parameter_openapi_schema"}]}</c> for every <c>[Flow]</c> method of
    /// <paramref name="assemblies"/> (default every loaded one) to <paramref name="path"/>.</summary>
    private static async Task DescribeAsync(string path, Assembly[] assemblies)
    {
        var flows = new System.Text.Json.Nodes.JsonArray();
        foreach (var method in FlowMethods(assemblies.Length > 0 ? assemblies : AppDomain.CurrentDomain.GetAssemblies()))
        {
            flows.Add(new System.Text.Json.Nodes.JsonObject
            {
                ["name"] = method.GetCustomAttribute<FlowAttribute>()!.Name ?? RunNames.Kebab(method.Name),
                ["method"] = $"{method.DeclaringType?.FullName}.{method.Name}",
                ["parameter_openapi_schema"] = ParameterSchema.ForDeployment(method),
            });
        }

        await File.WriteAllTextAsync(path, new System.Text.Json.Nodes.JsonObject { ["flows"] = flows }.ToJsonString()).ConfigureAwait(false);
    }

    private static MethodInfo? FindFlow(string flowName, IEnumerable<Assembly> assemblies) =>
        FlowMethods(assemblies).FirstOrDefault(m =>
            string.Equals(m.GetCustomAttribute<FlowAttribute>()!.Name ?? RunNames.Kebab(m.Name), flowName, StringComparison.Ordinal));

    private static IEnumerable<MethodInfo> FlowMethods(IEnumerable<Assembly> assemblies)
    {
        foreach (var assembly in assemblies.Where(a => !a.IsDynamic))
        {
            Type?[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException ex)
            {
                types = ex.Types;
            }

            foreach (var type in types.OfType<Type>())
            {
                foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
                {
                    if (method.IsDefined(typeof(FlowAttribute), false))
                    {
                        yield return method;
                    }
                }
            }
        }
    }
}
