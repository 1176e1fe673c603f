using System.Text.Json.Serialization;

namespace OrleansFlow.Gateway.Api;

/// <summary>One problem with a request, in Prefect's (pydantic's) shape: where, what, and a machine-readable type.</summary>
/// <param name="Loc">The path of the offending field, e.g. <c>["body", "state", "type"]</c>.</param>
/// <param name="Msg">Why it is wrong.</param>
/// <param name="Type">A machine-readable kind, e.g. <c>value_error.missing</c>.</param>
public sealed record ApiError(
    [property: JsonPropertyName("loc")] IReadOnlyList<object> Loc,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("type")] string Type);

/// <summary>Thrown by request validation; the gateway answers 422 with <see cref="Errors"/>.</summary>
public sealed class ApiValidationException(IReadOnlyList<ApiError> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{string.Join('.', e.Loc)}: {e.Msg}")))
{
    /// <summary>The problems found.</summary>
    public IReadOnlyList<ApiError> Errors { get; } = errors;

    /// <summary>A validation failure of one field of the body.</summary>
    public static ApiValidationException Field(string path, string message, string type = "value_error") =>
        new([new ApiError(["body", .. path.Split('.', StringSplitOptions.RemoveEmptyEntries)], message, type)]);
}
