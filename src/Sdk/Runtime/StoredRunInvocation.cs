using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Results;

namespace OrleansFlow.Runtime;

/// <summary>Runs an existing flow run in this process (a worker's, through <see cref="FlowRunEntry"/>, or a served
/// deployment's): binds the run's stored parameters to the
/// flow method's parameters (a <see cref="CancellationToken"/> parameter gets the run's token) and drives the run (RUNNING,
/// the body, COMPLETED or FAILED) as a call of the flow drives a new one; cancelling the token cancels the run's
/// <see cref="FlowRunContext.CancellationToken"/>, which a <see cref="CancellationToken"/> parameter of the flow gets too.</summary>
internal static class StoredRunInvocation
{
    public static async Task<object?> RunAsync(FlowDefinition flow, CreatedRun run, JsonObject? stored, CancellationToken cancellationToken)
    {
        var method = flow.Method;
        var parameters = method.GetParameters();
        var returns = method.ReturnType;
        var resultType = returns == typeof(Task) || returns == typeof(void) ? typeof(void)
            : returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>) ? returns.GetGenericArguments()[0]
            : returns;

        object?[] args;
        Exception? binding = null;
        try
        {
            args = [.. parameters.Select(p => Argument(p, stored, cancellationToken))];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            args = [];
            binding = e;
        }

        var recorded = parameters.Select((p, i) => (p, i)).Where(x => x.p.ParameterType != typeof(CancellationToken) && binding is null).ToArray();
        var names = recorded.Select(x => x.p.Name ?? "").ToArray();
        var values = recorded.Select(x => args[x.i]).ToArray();

        async Task<object?> Body()
        {
            if (binding is not null)
            {
                throw binding;
            }

            // A CancellationToken parameter gets the run's token (cancelled by the server's CANCELLING or by the caller).
            var token = FlowRunContext.Current?.CancellationToken ?? cancellationToken;
            var call = args.Select((a, i) => parameters[i].ParameterType == typeof(CancellationToken) ? token : a).ToArray();
            var value = method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, call, null);
            if (value is not Task task)
            {
                return value;
            }

            await task.ConfigureAwait(false);
            return resultType == typeof(void) ? null : task.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(task);
        }

        FlowEngine.AdoptedRun.Value = run;
        FlowEngine.AdoptedCancellation.Value = cancellationToken;
        return await FlowEngine.RunAsync(flow, Body, names, values, resultType).ConfigureAwait(false);
    }

    private static object? Argument(ParameterInfo parameter, JsonObject? stored, CancellationToken cancellationToken)
    {
        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return cancellationToken;
        }

        if (stored is not null && stored.TryGetPropertyValue(parameter.Name ?? "", out var value))
        {
            return value is null ? null : value.Deserialize(parameter.ParameterType, ResultStore.ValueOptions);
        }

        return parameter.HasDefaultValue ? parameter.DefaultValue
            : throw new InvalidOperationException($"The run has no value for the flow's parameter '{parameter.Name}'.");
    }
}
