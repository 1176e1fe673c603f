using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.Admin;

/// <summary>Health, version and server information routes.</summary>
internal static class AdminEndpoints
{
    /// <summary>The Prefect server version this API is compatible with.</summary>
    public const string PrefectVersion = "2.10.11";

    /// <summary>The Prefect API version (the <c>X-PREFECT-API-VERSION</c> header clients send).</summary>
    public const string ApiVersion = "0.8.4";

    /// <summary>How long a probe waits for the database.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How long a gateway's readiness probe waits for the cluster to list its silos.</summary>
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Health and readiness: <c>true</c> while the database answers, else 503 saying so.</summary>
    private static async Task<IResult> HealthAsync(OrleansFlowSilo silo, CancellationToken cancellationToken) =>
        await silo.Database.IsReachableAsync(ProbeTimeout, cancellationToken).ConfigureAwait(false)
            ? Results.Json(true)
            : Results.Json(new { detail = "The database is not reachable." }, statusCode: StatusCodes.Status503ServiceUnavailable);

    /// <summary>Ready: the database answers and the cluster can be reached. In a server, this process's Orleans silo is an
    /// active member of its cluster (not joining, not shutting down), so the grains it routes to can be reached; in a
    /// gateway (an Orleans client), at least one silo of the cluster answers as active.</summary>
    private static async Task<IResult> ReadyAsync(OrleansFlowSilo silo, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<Orleans.Runtime.ISiloStatusOracle>() is { } membership)
        {
            if (membership.CurrentStatus != Orleans.Runtime.SiloStatus.Active)
            {
                return NotReady($"The silo is {membership.CurrentStatus}, not active in its cluster.");
            }
        }
        else
        {
            try
            {
                var hosts = await silo.Grains.GetGrain<Orleans.Runtime.IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(ReadyTimeout, cancellationToken).ConfigureAwait(false);
                if (hosts.Count == 0)
                {
                    return NotReady("No silo of the cluster is active.");
                }
            }
            catch (Exception ex) when (ex is Orleans.Runtime.OrleansException or TimeoutException or InvalidOperationException)
            {
                return NotReady($"The cluster cannot be reached: {ex.Message}");
            }
        }

        return await HealthAsync(silo, cancellationToken).ConfigureAwait(false);
    }

    private static IResult NotReady(string detail) => Results.Json(new { detail }, statusCode: StatusCodes.Status503ServiceUnavailable);

    public static void MapAdmin(this RouteGroupBuilder api)
    {
        api.MapGet("/health", HealthAsync);
        api.MapGet("/ready", ReadyAsync);
        api.MapGet("/hello", () => Results.Json("👋"));
        api.MapGet("/version", () => Results.Json(PrefectVersion));
        api.MapGet("/admin/version", () => Results.Json(ApiVersion));

        // Prefect 2.13+ clients ask for a CSRF token before writing; Prefect's server answers this 422 unless CSRF
        // protection is enabled, and the client then stops asking. This server has no CSRF protection (no cookies).
        api.MapGet("/csrf-token", (string? client) => client is null
            ? throw new Api.ApiValidationException([new Api.ApiError(["query", "client"], "field required", "value_error.missing")])
            : Results.Json(new { detail = "CSRF protection is disabled." }, statusCode: StatusCodes.Status422UnprocessableEntity));
        api.MapGet("/admin/settings", (ServerInfo info) => Results.Json(new Dictionary<string, object?>
        {
            ["orleansflow_version"] = typeof(AdminEndpoints).Assembly.GetName().Version?.ToString(3),
            ["prefect_compatible_version"] = PrefectVersion,
            ["database"] = info.Database,
            ["dialect"] = info.Dialect,
        }));
    }
}
