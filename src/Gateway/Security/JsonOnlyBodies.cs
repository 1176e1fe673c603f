using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace OrleansFlow.Gateway.Security;

/// <summary>The API reads JSON only: a request with a body whose <c>Content-Type</c> is not <c>application/json</c> (or
/// <c>application/*+json</c>, charset UTF-8 if named) is refused with 415 before the body is read. A cross-site form or a
/// <c>text/plain</c> fetch, which a browser sends without asking the server first, so never creates anything.</summary>
internal static class JsonOnlyBodies
{
    /// <summary>Why <paramref name="request"/>'s body is refused, or null when it has none or it is JSON.</summary>
    public static string? Refusal(HttpRequest request)
    {
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!hasBody)
        {
            return null;
        }

        var contentType = request.ContentType;
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return "The request has a body but no Content-Type: the API reads application/json only.";
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType is not { } mediaType)
        {
            return $"The Content-Type '{Shorten(contentType)}' is not valid: the API reads application/json only.";
        }

        var json = mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!json)
        {
            return $"The Content-Type '{Shorten(mediaType)}' is not accepted: the API reads application/json only.";
        }

        return parsed.CharSet is { Length: > 0 } charset && !charset.Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            ? $"The charset '{Shorten(charset)}' is not accepted: the API reads UTF-8 JSON only."
            : null;
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
