using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using OrleansFlow.Gateway.Api;

namespace OrleansFlow.Gateway.Blocks;

/// <summary>Prefect's name rules for blocks, artifacts and variables, and the query flags of these routes.</summary>
internal static partial class ResourceNames
{
    /// <summary>The longest name or key (kept well under PostgreSQL's limit on an indexed value).</summary>
    public const int MaxNameLength = 255;

    /// <summary>Block document names, block type slugs and artifact keys: lowercase letters, numbers and dashes.</summary>
    public static string DashesOnly(string value, string field, string label) => value.Length > MaxNameLength
        ? throw ApiValidationException.Field(field, $"{label} must be at most {MaxNameLength} characters.")
        : Dashes().IsMatch(value)
        ? value
        : throw ApiValidationException.Field(field, $"{label} must only contain lowercase letters, numbers, and dashes.");

    /// <summary>Variable names: lowercase letters, numbers and underscores.</summary>
    public static string UnderscoresOnly(string value, string field, string label) => value.Length > MaxNameLength
        ? throw ApiValidationException.Field(field, $"{label} must be at most {MaxNameLength} characters.")
        : Underscores().IsMatch(value)
        ? value
        : throw ApiValidationException.Field(field, $"{label} must only contain lowercase letters, numbers, and underscores.");

    /// <summary>A boolean query parameter (pydantic's spellings); <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="ApiValidationException">The value is not a boolean.</exception>
    public static bool QueryFlag(HttpContext context, string name, bool fallback = false)
    {
        var raw = context.Request.Query[name];
        if (raw.Count == 0)
        {
            return fallback;
        }

        return raw[^1]?.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" or "on" or "t" or "y" => true,
            "false" or "0" or "no" or "off" or "f" or "n" => false,
            _ => throw new ApiValidationException([new ApiError(["query", name], "value could not be parsed to a boolean", "type_error.bool")]),
        };
    }

    /// <summary>An absolute http(s) URL of at most 2083 characters, or null.</summary>
    public static string? Url(string? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length is < 1 or > 2083)
        {
            throw ApiValidationException.Field(field, "ensure this value has between 1 and 2083 characters");
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? value
            : throw ApiValidationException.Field(field, "invalid or missing URL scheme", "value_error.url.scheme");
    }

    [GeneratedRegex("^[a-z0-9-]*$")]
    private static partial Regex Dashes();

    [GeneratedRegex("^[a-z0-9_]*$")]
    private static partial Regex Underscores();
}
