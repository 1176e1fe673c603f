using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OrleansFlow.Gateway.Security;

/// <summary>The UI's login page (an API key in, a session cookie out) and logout. The login form carries a token that must
/// match a cookie set with the page (double submit), so another site cannot log a browser in under its own key.</summary>
internal static class LoginEndpoints
{
    public const string LoginCookie = "orleansflow_login";

    public static void MapLogin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/login", (HttpContext context, ServerOptions options, string? next) =>
            options.AuthenticationEnabled ? Page(context, Local(next), error: null, StatusCodes.Status200OK) : Results.Redirect("/"))
            .DisableAntiforgery();
        endpoints.MapPost("/login", LoginAsync).DisableAntiforgery();
        endpoints.MapPost("/logout", (HttpContext context, UiSessions sessions) =>
        {
            sessions.End(context);
            return Results.Json(new { redirect = "/login" });
        }).DisableAntiforgery();
    }

    private static async Task<IResult> LoginAsync(HttpContext context, ServerOptions options, Authenticator authenticator, UiSessions sessions)
    {
        if (!options.AuthenticationEnabled)
        {
            return Results.Redirect("/", preserveMethod: false);
        }

        if (!context.Request.HasFormContentType)
        {
            return Results.Json(new { detail = "The login form is sent as application/x-www-form-urlencoded." }, statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var next = Local(form["next"]);
        var token = form["csrf"].ToString();
        if (token.Length == 0 || !context.Request.Cookies.TryGetValue(LoginCookie, out var expected) || expected != token)
        {
            return Page(context, next, "The login form expired; please try again.", StatusCodes.Status403Forbidden);
        }

        var key = form["api_key"].ToString().Trim();
        var principal = key.Length == 0 ? null : await authenticator.AuthenticateAsync(key, context.RequestAborted).ConfigureAwait(false);
        if (principal is null)
        {
            return Page(context, next, "That API key is not valid (unknown, revoked or expired).", StatusCodes.Status401Unauthorized);
        }

        context.Response.Cookies.Delete(LoginCookie, new CookieOptions { Path = "/login" });
        sessions.Start(context, principal.KeyHash);
        return Results.Redirect(next);
    }

    /// <summary>A path on this server to go to after login: anything else (another site, <c>//host</c>) goes to the dashboard.</summary>
    public static string Local(string? next) =>
        next is { Length: > 0 } path && path[0] == '/' && !path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("/\\", StringComparison.Ordinal)
            && !path.StartsWith("/login", StringComparison.Ordinal)
            ? path
            : "/";

    private static IResult Page(HttpContext context, string next, string? error, int status)
    {
        var token = UiSessions.NewToken();
        context.Response.Cookies.Append(LoginCookie, token, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, Path = "/login", MaxAge = TimeSpan.FromHours(1),
        });
        context.Response.Headers.CacheControl = "no-store";
        var message = error is null ? "" : $"""<p class="form-error" role="alert">{WebUtility.HtmlEncode(error)}</p>""";
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <title>Log in · OrleansFlow</title>
                <link rel="stylesheet" href="/ui/app.css" />
            </head>
            <body>
            <header class="top"><span class="brand">OrleansFlow</span></header>
            <main id="main">
                <h1>Log in</h1>
                <p>This server needs an API key. Ask an admin for one (<code>orleansflow api-key create</code>).</p>
                {message}
                <form class="login-form" method="post" action="/login">
                    <input type="hidden" name="csrf" value="{token}" />
                    <input type="hidden" name="next" value="{WebUtility.HtmlEncode(next)}" />
                    <div class="field">
                        <label for="api-key">API key</label>
                        <input id="api-key" name="api_key" type="password" autocomplete="current-password" required />
                    </div>
                    <button type="submit">Log in</button>
                </form>
            </main>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
