using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace OrleansFlow.Gateway.Security;

/// <summary>The UI's logged-in sessions, kept in this server's memory: a random session id (the HttpOnly cookie) maps to
/// the SHA-256 of the key that logged in (checked again on each request, so revoking the key ends the session) and to
/// the session's CSRF token (a synchronizer token, also readable by the page's script in a second cookie, which the
/// script echoes in <see cref="CsrfHeader"/> on every state change). A restart logs everyone out.</summary>
internal sealed class UiSessions(TimeProvider clock)
{
    public const string SessionCookie = "orleansflow_session";
    public const string CsrfCookie = "orleansflow_csrf";
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>How long a session lasts after login.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private const int MaxSessions = 10_000;

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>Starts a session for the key whose hash is <paramref name="keyHash"/> and sets its two cookies.</summary>
    public void Start(HttpContext context, string keyHash)
    {
        var now = clock.GetUtcNow();
        if (_sessions.Count >= MaxSessions)
        {
            foreach (var (id, old) in _sessions)
            {
                if (old.Expires <= now)
                {
                    _sessions.TryRemove(id, out _);
                }
            }
        }

        var sessionId = NewToken();
        var csrf = NewToken();
        _sessions[sessionId] = new Session(keyHash, csrf, now + Lifetime);
        var secure = context.Request.IsHttps;
        context.Response.Cookies.Append(SessionCookie, sessionId, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = secure, Path = "/", MaxAge = Lifetime,
        });
        context.Response.Cookies.Append(CsrfCookie, csrf, new CookieOptions
        {
            HttpOnly = false, SameSite = SameSiteMode.Strict, Secure = secure, Path = "/", MaxAge = Lifetime,
        });
    }

    /// <summary>The session <paramref name="request"/>'s cookie names, or null when there is none or it expired.</summary>
    public Session? Find(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(SessionCookie, out var id) || id is null || !_sessions.TryGetValue(id, out var session))
        {
            return null;
        }

        if (session.Expires <= clock.GetUtcNow())
        {
            _sessions.TryRemove(id, out _);
            return null;
        }

        return session;
    }

    /// <summary>Ends the session of <paramref name="context"/>'s request and clears its cookies.</summary>
    public void End(HttpContext context)
    {
        if (context.Request.Cookies.TryGetValue(SessionCookie, out var id) && id is not null)
        {
            _sessions.TryRemove(id, out _);
        }

        context.Response.Cookies.Delete(SessionCookie, new CookieOptions { Path = "/" });
        context.Response.Cookies.Delete(CsrfCookie, new CookieOptions { Path = "/" });
    }

    /// <summary>True when <paramref name="request"/> carries <paramref name="session"/>'s CSRF token in <see cref="CsrfHeader"/>.</summary>
    public static bool CarriesCsrfToken(HttpRequest request, Session session)
    {
        var sent = request.Headers[CsrfHeader].ToString();
        return sent.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(sent), Encoding.ASCII.GetBytes(session.CsrfToken));
    }

    /// <summary>32 random bytes, base64url.</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A logged-in session.</summary>
    internal sealed record Session(string KeyHash, string CsrfToken, DateTimeOffset Expires);
}
