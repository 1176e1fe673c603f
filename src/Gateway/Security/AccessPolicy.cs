using Microsoft.AspNetCore.Http;
using OrleansFlow.Silo.ApiKeys;

namespace OrleansFlow.Gateway.Security;

/// <summary>Which role a request needs (see docs/security.md). Reads need <see cref="ApiKeyRole.ReadOnly"/>; what flow
/// programs and workers write needs <see cref="ApiKeyRole.Runner"/>; what changes who may do what, which code workers run,
/// or what is deleted needs <see cref="ApiKeyRole.Admin"/>. A route this table does not know is a runner's if it writes.</summary>
internal static class AccessPolicy
{
    /// <summary>The POST routes that only read, by their last segment.</summary>
    private static readonly HashSet<string> ReadingPosts = new(StringComparer.Ordinal) { "filter", "count", "paginate", "history" };

    /// <summary>The role an <c>/api</c> request needs, or null when anyone may send it (health, ready, hello, version).</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path under <c>/api</c>, e.g. <c>/flow_runs/filter</c>.</param>
    /// <param name="query">The query string.</param>
    public static ApiKeyRole? ForApi(string method, string path, IQueryCollection query)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var reads = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
        if (reads && segments is ["health"] or ["ready"] or ["hello"] or ["version"] or ["admin", "version"] or ["csrf-token"])
        {
            return null;
        }

        // The events WebSockets authenticate inside the socket (Prefect's auth message): see EventSockets.
        if (HttpMethods.IsGet(method) && segments is ["events", "in" or "out"])
        {
            return null;
        }

        if (segments is ["api_keys", ..] || HttpMethods.IsDelete(method) || IncludesSecrets(query))
        {
            return ApiKeyRole.Admin;
        }

        if (reads)
        {
            return ApiKeyRole.ReadOnly;
        }

        if (HttpMethods.IsPost(method) && segments.Length > 0 && (ReadingPosts.Contains(segments[^1]) || segments[0] == "ui" || segments is ["events", "count-by", _]))
        {
            return ApiKeyRole.ReadOnly;
        }

        return AdminWrite(segments) ? ApiKeyRole.Admin : ApiKeyRole.Runner;
    }

    /// <summary>The role a UI request (outside <c>/api</c>) needs: pages and streams read, run actions are a runner's,
    /// deleting a run and pausing a deployment's schedule are an admin's.</summary>
    public static ApiKeyRole ForUi(string method, string path)
    {
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || path == "/logout")
        {
            return ApiKeyRole.ReadOnly;
        }

        return path.StartsWith("/ui/deployments/", StringComparison.Ordinal) || path.EndsWith("/delete", StringComparison.Ordinal)
            ? ApiKeyRole.Admin
            : ApiKeyRole.Runner;
    }

    /// <summary>True for <c>include_secrets=true</c> in the query (any casing Python's bool parsing takes).</summary>
    public static bool IncludesSecrets(IQueryCollection query) =>
        query.TryGetValue("include_secrets", out var values)
        && values.Any(v => v is not null && (v.Equals("true", StringComparison.OrdinalIgnoreCase) || v == "1" || v.Equals("yes", StringComparison.OrdinalIgnoreCase) || v.Equals("on", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Writes that decide what code workers run (deployments, work pools and queues with their job templates),
    /// how much may run (concurrency limits), the server itself, or that make the server send requests to stored URLs
    /// and show what they answer (notification tests).</summary>
    private static bool AdminWrite(string[] segments) => segments switch
    {
        ["admin", ..] => true,
        ["notifications", ..] => true,
        ["flow_run_notification_policies", ..] => true,
        ["deployments", _, "create_flow_run"] => false,
        ["deployments", "get_scheduled_flow_runs"] => false,
        ["deployments", ..] => true,
        ["work_pools", _, "get_scheduled_flow_runs"] => false,
        ["work_pools", _, "workers", "heartbeat"] => false,
        ["work_pools", ..] => true,
        ["work_queues", _, "get_runs"] => false,
        ["work_queues", ..] => true,
        ["concurrency_limits"] => true,
        ["concurrency_limits", "tag", ..] => true,
        ["v2", "concurrency_limits"] => true,
        ["v2", "concurrency_limits", var id] when id is not ("increment" or "decrement") => true,
        _ => false,
    };
}
