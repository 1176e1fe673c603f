using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrleansFlow.Gateway.Api;

/// <summary>Reads JSON request bodies, turning every kind of bad input into a 422 that names the field.</summary>
internal static class RequestBody
{
    /// <summary>Reads and deserializes the body. An empty body reads as <c>{}</c> when <paramref name="allowEmpty"/>; otherwise
    /// it is reported missing as a whole, or as <paramref name="requiredField"/> when the body embeds one required field
    /// (as FastAPI reports <c>["body", "state"]</c> for set_state).</summary>
    /// <exception cref="ApiValidationException">The body is not valid JSON or does not fit <typeparamref name="T"/>.</exception>
    public static async Task<T> ReadAsync<T>(HttpContext context, bool allowEmpty = false, string? requiredField = null)
        where T : class
    {
        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            if (context.Request.ContentLength == 0 || (context.Request.ContentLength is null && !context.Request.Body.CanSeek && context.Request.Headers.TransferEncoding.Count == 0))
            {
                return allowEmpty
                    ? JsonSerializer.Deserialize<T>("{}", options)!
                    : throw new ApiValidationException([new ApiError(requiredField is null ? ["body"] : ["body", requiredField], "field required", "value_error.missing")]);
            }

            var value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, options, context.RequestAborted).ConfigureAwait(false);
            return value ?? throw new ApiValidationException([new ApiError(["body"], "none is not an allowed value", "type_error.none.not_allowed")]);
        }
        catch (JsonException ex)
        {
            throw new ApiValidationException([new ApiError(Location(ex.Path), Describe(ex), "value_error.jsonschema")]);
        }
    }

    private static IReadOnlyList<object> Location(string? jsonPath)
    {
        var loc = new List<object> { "body" };
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return loc;
        }

        foreach (var part in jsonPath.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            if (bracket < 0)
            {
                loc.Add(part);
                continue;
            }

            if (bracket > 0)
            {
                loc.Add(part[..bracket]);
            }

            foreach (var index in part[bracket..].Split(['[', ']'], StringSplitOptions.RemoveEmptyEntries))
            {
                loc.Add(int.TryParse(index, out var i) ? i : index.Trim('\''));
            }
        }

        return loc;
    }

    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        var target = TargetType(message);
        if (target is not null)
        {
            return target switch
            {
                "System.String" => "str type expected",
                "System.Guid" => "value is not a valid uuid",
                "System.Int32" or "System.Int64" => "value is not a valid integer",
                "System.Double" => "value is not a valid float",
                "System.Boolean" => "value could not be parsed to a boolean",
                "System.DateTimeOffset" => "invalid datetime format",
                _ when target.EndsWith(".StateType", StringComparison.Ordinal) =>
                    "value is not a valid enumeration member; permitted: 'SCHEDULED', 'PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED', 'PAUSED', 'CANCELLING'",
                _ when target.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) => "value is not a valid list",
                _ => "value is not valid here",
            };
        }

        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    /// <summary>The .NET type named by System.Text.Json's "could not be converted to T" message, if any.</summary>
    private static string? TargetType(string message)
    {
        const string Marker = "could not be converted to ";
        var at = message.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var type = message[(at + Marker.Length)..];
        var end = type.IndexOf(". Path", StringComparison.Ordinal);
        type = end >= 0 ? type[..end] : type.TrimEnd('.');
        return type.StartsWith("System.Nullable`1[", StringComparison.Ordinal) ? type[18..^1] : type;
    }
}
