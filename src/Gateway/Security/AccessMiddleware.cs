using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansFlow.Silo.ApiKeys;

namespace OrleansFlow.Gateway.Security;

/// <summary>What guards access, in front of everything else: the Host allow-list (400), authentication and roles when
/// they are on (401, 403, and the CSRF token of UI sessions), and JSON-only API bodies (415), all before a body is read.</summary>
internal static partial class AccessMiddleware
{
    /// <summary>The <see cref="HttpContext.Items"/> key of the request's <see cref="AccessPrincipal"/> (absent when
    /// authentication is off or the route is anonymous).</summary>
    public const string PrincipalItem = "OrleansFlow.Principal";

    /// <summary>Registers the services the middleware and the login page use.</summary>
    public static IServiceCollection AddOrleansFlowAccess(this IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton(new HostAllowList(options));
        services.AddSingleton<Authenticator>();
        services.AddSingleton(provider => new UiSessions(provider.GetRequiredService<Silo.Runtime.OrleansFlowSilo>().Clock));
        return services;
    }

    public static void UseOrleansFlowAccess(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<ServerOptions>();
        var hosts = app.ApplicationServices.GetRequiredService<HostAllowList>();
        var authenticator = app.ApplicationServices.GetRequiredService<Authenticator>();
        var sessions = app.ApplicationServices.GetRequiredService<UiSessions>();
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AccessMiddleware).FullName!);
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (!hosts.Allows(request.Host))
            {
                await Refuse(context, StatusCodes.Status400BadRequest,
                    $"The Host '{Shorten(request.Host.Value ?? "")}' is not one this server answers to; add it to the allowed hosts (--allowed-host, ORLEANSFLOW_SERVER_ALLOWED_HOSTS).").ConfigureAwait(false);
                return;
            }

            var api = request.Path.StartsWithSegments("/api", StringComparison.Ordinal, out var apiPath);
            if (options.AuthenticationEnabled)
            {
                bool allowed;
                try
                {
                    allowed = await AuthorizeAsync(context, api, apiPath, authenticator, sessions).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogKeyStoreFailed(logger, ex);
                    await Refuse(context, StatusCodes.Status503ServiceUnavailable, "The server cannot check API keys right now.").ConfigureAwait(false);
                    return;
                }

                if (!allowed)
                {
                    return;
                }
            }

            if (api && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && JsonOnlyBodies.Refusal(request) is { } refusal)
            {
                await Refuse(context, StatusCodes.Status415UnsupportedMediaType, refusal).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
    }

    /// <summary>Checks who sent the request and whether their role allows it; answers the refusal itself.</summary>
    /// <returns>True when the request may go on.</returns>
    private static async Task<bool> AuthorizeAsync(HttpContext context, bool api, PathString apiPath, Authenticator authenticator, UiSessions sessions)
    {
        var request = context.Request;
        ApiKeyRole? required = api ? AccessPolicy.ForApi(request.Method, apiPath.Value ?? "", request.Query)
            : AnonymousUi(request.Path) ? null
            : AccessPolicy.ForUi(request.Method, request.Path.Value ?? "");
        if (required is not { } role)
        {
            return true;
        }

        var ct = context.RequestAborted;
        UiSessions.Session? session = null;
        AccessPrincipal? principal;
        if (Authenticator.PresentedKey(request) is { } key)
        {
            principal = await authenticator.AuthenticateAsync(key, ct).ConfigureAwait(false);
        }
        else
        {
            session = sessions.Find(request);
            principal = session is null ? null : await authenticator.ByHashAsync(session.KeyHash, ct).ConfigureAwait(false);
        }

        if (principal is null)
        {
            if (!api && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
            {
                context.Response.Redirect("/login?next=" + Uri.EscapeDataString(request.Path + request.QueryString));
                return false;
            }

            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"orleansflow\"";
            await Refuse(context, StatusCodes.Status401Unauthorized, session is null && Authenticator.PresentedKey(request) is null
                ? "An API key is required: send Authorization: Bearer KEY (PREFECT_API_KEY or ORLEANSFLOW_API_KEY)."
                : "The API key is not valid: unknown, revoked or expired.").ConfigureAwait(false);
            return false;
        }

        var changes = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method);
        if (session is not null && changes && !UiSessions.CarriesCsrfToken(request, session))
        {
            await Refuse(context, StatusCodes.Status403Forbidden, $"The request has no valid CSRF token (the {UiSessions.CsrfHeader} header of the page's session).").ConfigureAwait(false);
            return false;
        }

        if (principal.Role < role || (principal.Role < ApiKeyRole.Admin && api && await AsksForSecretsAsync(request, apiPath).ConfigureAwait(false)))
        {
            var needed = principal.Role < role ? role : ApiKeyRole.Admin;
            await Refuse(context, StatusCodes.Status403Forbidden,
                $"The key '{principal.Name}' has the role {ApiKeyRoles.Name(principal.Role)}; this needs {ApiKeyRoles.Name(needed)}.").ConfigureAwait(false);
            return false;
        }

        context.Items[PrincipalItem] = principal;
        return true;
    }

    /// <summary>True for a block-document listing whose JSON body asks for <c>include_secrets</c> (the query form is in
    /// <see cref="AccessPolicy"/>). The body is read into memory and rewound for the endpoint.</summary>
    private static async Task<bool> AsksForSecretsAsync(HttpRequest request, PathString apiPath)
    {
        if (!HttpMethods.IsPost(request.Method) || !(apiPath.Value ?? "").Contains("block_documents", StringComparison.Ordinal)
            || request.ContentLength == 0 || JsonOnlyBodies.Refusal(request) is not null)
        {
            return false;
        }

        request.EnableBuffering();
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("include_secrets", out var value) && value.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    /// <summary>UI paths anyone may fetch: the login page and the stylesheet and script it uses.</summary>
    private static bool AnonymousUi(PathString path) =>
        path.Value is "/login" or "/ui/app.css" or "/ui/app.js" or "/favicon.ico";

    private static Task Refuse(HttpContext context, int status, string detail) =>
        Results.Json(new { detail }, statusCode: status).ExecuteAsync(context);

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";

    [LoggerMessage(EventId = 1300, Level = LogLevel.Error, Message = "The API key store could not be read")]
    private static partial void LogKeyStoreFailed(ILogger logger, Exception exception);
}
