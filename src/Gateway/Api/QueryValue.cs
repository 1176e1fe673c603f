using System.Globalization;

namespace OrleansFlow.Gateway.Api;

/// <summary>Optional query values parsed by hand. The request delegates are generated at compile time
/// (<c>EnableRequestDelegateGenerator</c>), and for an optional value type that does not parse (<c>?flow_run_id=nope</c>)
/// the generated code answers a bare 400 instead of throwing; these answer the same 422 naming the field that a
/// route value that does not bind gets (<see cref="ErrorHandling"/>).</summary>
public static class QueryValue
{
    /// <summary><paramref name="raw"/> as a uuid; null when absent or empty.</summary>
    /// <exception cref="ApiValidationException">It is not a uuid (422, <c>query.NAME</c>).</exception>
    public static Guid? Guid(string? raw, string name) =>
        string.IsNullOrEmpty(raw) ? null
        : System.Guid.TryParse(raw, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ApiValidationException([new ApiError(["query", name], "value is not a valid uuid", "type_error.uuid")]);

    /// <summary><paramref name="raw"/> as an integer; null when absent or empty.</summary>
    /// <exception cref="ApiValidationException">It is not an integer (422, <c>query.NAME</c>).</exception>
    public static int? Int(string? raw, string name) =>
        string.IsNullOrEmpty(raw) ? null
        : int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ApiValidationException([new ApiError(["query", name], "value is not valid", "type_error")]);
}
