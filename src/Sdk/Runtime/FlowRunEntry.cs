using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using OrleansFlow.Client;
using OrleansFlow.Results;
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

    /// <summary>Runs the flow run named by <c>ORLEANSFLOW_FLOW_RUN_ID</c>, if the variable is set.</summary>
    /// <param name="assemblies">Where to look for the flow; default every loaded assembly.</param>
    /// <returns>False when the variable is not set (the program goes on as usual); true after the run ended.</returns>
    /// <exception cref="Exception">The flow failed (its run is FAILED): the body's exception as is.</exception>
    /// <exception cref="InvalidOperationException">The run or its flow method cannot be found.</exception>
    public static async Task<bool> TryRunFromEnvironmentAsync(params Assembly[] assemblies)
    {
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
        using var http = new HttpClient { BaseAddress = new Uri(client.ApiUrl.ToString().TrimEnd('/') + "/") };
        var run = await http.GetFromJsonAsync<JsonElement>($"flow_runs/{flowRunId}", cancellationToken).ConfigureAwait(false);
        var flowId = run.GetProperty("flow_id").GetString();
        var flow = await http.GetFromJsonAsync<JsonElement>($"flows/{flowId}", cancellationToken).ConfigureAwait(false);
        var flowName = flow.GetProperty("name").GetString() ?? "";
        var method = FindFlow(flowName, assemblies.Length > 0 ? assemblies : AppDomain.CurrentDomain.GetAssemblies())
            ?? throw new InvalidOperationException($"No static [Flow] method named '{flowName}' in the loaded assemblies.");

        var parameters = method.GetParameters();
        var stored = run.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var names = parameters.Select(x => x.Name ?? "").ToArray();
        var args = parameters.Select(x => Argument(x, stored)).ToArray();
        var returns = method.ReturnType;
        var resultType = returns == typeof(Task) || returns == typeof(void) ? typeof(void)
            : returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>) ? returns.GetGenericArguments()[0]
            : returns;

        async Task<object?> Body()
        {
            var value = method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, args, null);
            if (value is not Task task)
            {
                return value;
            }

            await task.ConfigureAwait(false);
            return resultType == typeof(void) ? null : task.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(task);
        }

        FlowEngine.AdoptedRun.Value = new CreatedRun(flowRunId, run.GetProperty("name").GetString() ?? "");
        FlowEngine.AdoptedCancellation.Value = cancellationToken;
        return await FlowEngine.RunAsync(FlowDefinition.For(method), Body, names, args, resultType).ConfigureAwait(false);
    }

    private static object? Argument(ParameterInfo parameter, JsonElement stored)
    {
        if (stored.ValueKind == JsonValueKind.Object && stored.TryGetProperty(parameter.Name ?? "", out var value))
        {
            return value.Deserialize(parameter.ParameterType, ResultStore.ValueOptions);
        }

        return parameter.HasDefaultValue ? parameter.DefaultValue
            : throw new InvalidOperationException($"The run has no value for the flow's parameter '{parameter.Name}'.");
    }

    private static MethodInfo? FindFlow(string flowName, IEnumerable<Assembly> assemblies)
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
                    if (method.GetCustomAttribute<FlowAttribute>() is { } attribute
                        && string.Equals(attribute.Name ?? RunNames.Kebab(method.Name), flowName, StringComparison.Ordinal))
                    {
                        return method;
                    }
                }
            }
        }

        return null;
    }
}
