using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OrleansFlow.Ui.Endpoints;

/// <summary>Matches a catch-all path outside <c>/api</c> and <c>/ui</c>, so the UI's "not found" page never answers for
/// the API (whose unknown routes keep their own answers). A constraint type rather than a regex: the server's slim
/// builder has no regex constraint.</summary>
internal sealed class UiPathConstraint : IRouteConstraint
{
    public const string Name = "uipath";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
    {
        var path = values.TryGetValue(routeKey, out var value) ? value as string ?? "" : "";
        return !IsUnder(path, "api") && !IsUnder(path, "ui");
    }

    private static bool IsUnder(string path, string segment) =>
        path.StartsWith(segment, StringComparison.OrdinalIgnoreCase) && (path.Length == segment.Length || path[segment.Length] == '/');
}
