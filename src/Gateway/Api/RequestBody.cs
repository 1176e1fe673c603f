using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansFlow.Grains.Json;

namespace OrleansFlow.Gateway.Api;

/// <summary>Reads JSON request bodies, turning every kind of bad input into a 422 that names the field.</summary>
/// <remarks>A body of the wire contract (a record of <c>OrleansFlow.Client</c>, or a list of them) is read with the API's
/// options plus the contract's own rules: a required member (C# <c>required</c>, or a record's constructor parameter
/// without a default) must be present, and a member not annotated nullable must not be null. Both failures are answered
/// as pydantic does (<c>field required</c>, <c>none is not an allowed value</c>) at the field's path.</remarks>
internal static class RequestBody
{
    private static readonly System.Reflection.Assembly Contract = typeof(OrleansFlow.Client.StateCreate).Assembly;

    /// <summary>The contract options derived from each API options instance (one per application).</summary>
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> ContractOptions = new();
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> ReadOptions = new();

    /// <summary>Reads and deserializes the body. An empty body reads as <c>{}</c> when <paramref name="allowEmpty"/>; otherwise
    /// it is reported missing as a whole, or as <paramref name="requiredField"/> when the body embeds one required field
    /// (as FastAPI reports <c>["body", "state"]</c> for set_state).</summary>
    /// <exception cref="ApiValidationException">The body is not valid JSON or does not fit <typeparamref name="T"/>.</exception>
    public static async Task<T> ReadAsync<T>(HttpContext context, bool allowEmpty = false, string? requiredField = null)
        where T : class
    {
        var api = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        // A body is read no deeper than OrleansFlowJson.MaxReadDepth, though the API's options write deeper: what is
        // accepted must fit, wrapped, in what is written.
        var options = IsContract(typeof(T))
            ? ContractOptions.GetValue(api, api => new JsonSerializerOptions(api)
            {
                RespectRequiredConstructorParameters = true,
                RespectNullableAnnotations = true,
                MaxDepth = OrleansFlowJson.MaxReadDepth,
            })
            : ReadOptions.GetValue(api, api => new JsonSerializerOptions(api) { MaxDepth = OrleansFlowJson.MaxReadDepth });

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
        catch (JsonException ex) when (MissingMembers(ex.Message) is { Count: > 0 } missing)
        {
            var at = Location(ex.Path);
            throw new ApiValidationException([.. missing.Select(name => new ApiError([.. at, name], "field required", "value_error.missing"))]);
        }
        catch (JsonException ex) when (IsNullRefused(ex.Message))
        {
            throw new ApiValidationException([new ApiError(Location(ex.Path), "none is not an allowed value", "type_error.none.not_allowed")]);
        }
        catch (JsonException ex)
        {
            throw new ApiValidationException([new ApiError(Location(ex.Path), Describe(ex), "value_error.jsonschema")]);
        }
    }

    /// <summary>True for a record of the wire contract, or a collection of them.</summary>
    private static bool IsContract(Type type) =>
        type.Assembly == Contract || (type.IsGenericType && type.GetGenericArguments().Any(IsContract));

    /// <summary>The JSON names of the required members System.Text.Json found missing (its message lists them as
    /// <c>including: 'flow_id', 'name'.</c>, cut after a few), or none for another failure.</summary>
    private static List<string> MissingMembers(string message)
    {
        const string Marker = "was missing required properties including: ";
        var at = message.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return [];
        }

        var list = message[(at + Marker.Length)..];
        var end = list.IndexOf(". Path", StringComparison.Ordinal);
        list = end >= 0 ? list[..end] : list.TrimEnd('.');
        return [.. list.Split(", ").Select(name => name.Trim('\'')).Where(name => name.Length > 0)];
    }

    /// <summary>True when System.Text.Json refused a null for a member not annotated nullable.</summary>
    private static bool IsNullRefused(string message) =>
        message.Contains("doesn't allow setting null values", StringComparison.Ordinal)
        || message.Contains("doesn't allow null values", StringComparison.Ordinal);

    internal static IReadOnlyList<object> Location(string? jsonPath)
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

    internal static string Describe(JsonException ex)
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
                _ when target.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal)
                    || target.StartsWith("System.Collections.Generic.IReadOnlyList", StringComparison.Ordinal) => "value is not a valid list",
                _ when target.StartsWith("System.Collections.Generic.IReadOnlyDictionary", StringComparison.Ordinal)
                    || target == "System.Text.Json.Nodes.JsonObject" => "value is not a valid dict",
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
