using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OrleansFlow.Runtime;

/// <summary>Runs the hooks a flow or task names for its final state.</summary>
internal static class RunHooks
{
    private static readonly ConcurrentDictionary<Type, IRunHook> Instances = new();

    public static async Task RunAsync(Type[]? hooks, RunHookContext context, ILogger logger)
    {
        foreach (var type in hooks ?? [])
        {
            try
            {
                var hook = Instances.GetOrAdd(type, static t => Activator.CreateInstance(t) as IRunHook
                    ?? throw new ArgumentException($"Hook type {t.FullName} does not implement {nameof(IRunHook)}."));
                await hook.OnFinishedAsync(context).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failing hook is reported and must not change the run's outcome.
            catch (Exception e)
#pragma warning restore CA1031
            {
                EngineLog.HookFailed(logger, type.Name, e);
            }
        }
    }
}
