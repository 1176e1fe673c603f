using System.Reflection;

namespace OrleansFlow.Runtime;

/// <summary>Finds ephemeral mode (an in-process server) at run time: the <c>OrleansFlow.Sdk.Ephemeral</c> assembly, which the
/// <c>OrleansFlow.Sdk</c> package brings in, has a <c>public static Task&lt;Uri&gt; StartAsync(CancellationToken)</c> on
/// <see cref="TypeName"/>. The SDK itself never references the server's assemblies, so a flow program that always talks
/// to a server (e.g. one a worker starts) does not load them.</summary>
internal static class EphemeralMode
{
    /// <summary>The type that starts the in-process server.</summary>
    public const string TypeName = "OrleansFlow.Ephemeral.EphemeralServer, OrleansFlow.Sdk.Ephemeral";

    private static Func<CancellationToken, Task<Uri>>? _start;

    /// <summary>The API root of the in-process server, started on first call.</summary>
    /// <exception cref="InvalidOperationException">Ephemeral mode is not installed (and no server is configured), or the
    /// server cannot start (the database cannot be opened, a setting is not valid).</exception>
    public static Task<Uri> GetApiUrlAsync(CancellationToken cancellationToken) => (_start ??= Find())(cancellationToken);

    private static Func<CancellationToken, Task<Uri>> Find()
    {
        var method = Type.GetType(TypeName, throwOnError: false)?.GetMethod("StartAsync", BindingFlags.Public | BindingFlags.Static, [typeof(CancellationToken)]);
        return method?.ReturnType == typeof(Task<Uri>)
            ? method.CreateDelegate<Func<CancellationToken, Task<Uri>>>()
            : throw new InvalidOperationException(
                "No OrleansFlow server is configured and ephemeral mode is not installed: set ORLEANSFLOW_API_URL (or use Flows.UseApi), "
                + "or reference the OrleansFlow.Sdk package, which runs flows against an in-process server on the local database.");
    }
}
