namespace OrleansFlow.Gateway.Api;

/// <summary>Field checks for request records; each failure names the field.</summary>
internal static class Check
{
    public static T Required<T>(T? value, string field)
        where T : class =>
        value ?? throw ApiValidationException.Field(field, "field required", "value_error.missing");

    public static T Required<T>(T? value, string field)
        where T : struct =>
        value ?? throw ApiValidationException.Field(field, "field required", "value_error.missing");

    public static string NotEmpty(string? value, string field)
    {
        Required(value, field);
        return value!.Length == 0 ? throw ApiValidationException.Field(field, "must not be empty") : value;
    }

    public static string MaxLength(string value, int max, string field) =>
        value.Length > max ? throw ApiValidationException.Field(field, $"must be at most {max} characters") : value;

    /// <summary>Prefect's rule, in its words, for the names that are also path segments (<c>/flows/name/{name}</c>,
    /// <c>/deployments/name/{flow}/{deployment}</c>, <c>/v2/concurrency_limits/{name}</c>): none of <c>/ % &amp; &gt; &lt;</c>, which would make the name unreachable
    /// by those routes.</summary>
    /// <remarks>"." and ".." are refused too: as a path segment, an HTTP client or proxy may resolve them away, so
    /// <c>DELETE /work_pools/p/queues/..</c> would reach the pool itself.</remarks>
    public static string PathName(string value, string field) =>
        value.IndexOfAny(InvalidNameCharacters) >= 0
            ? throw ApiValidationException.Field(field, $"Name '{value}' contains an invalid character. Must not contain any of: ['/', '%', '&', '>', '<'].")
            : DotSegment(value, field);

    /// <summary>Refuses "." and "..", the names a URL's path resolves away.</summary>
    public static string DotSegment(string value, string field) =>
        value is "." or ".." ? throw ApiValidationException.Field(field, $"Name '{value}' is not allowed: '.' and '..' are not names a URL can reach.") : value;

    private static readonly char[] InvalidNameCharacters = ['/', '%', '&', '>', '<'];

    public static int Range(int value, int min, int max, string field) =>
        value < min || value > max ? throw ApiValidationException.Field(field, $"must be between {min} and {max}") : value;

    public static IReadOnlyList<string> Tags(IReadOnlyList<string>? tags, string field = "tags")
    {
        if (tags is null)
        {
            return [];
        }

        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i] is null)
            {
                throw ApiValidationException.Field($"{field}.{i}", "none is not an allowed value", "type_error.none.not_allowed");
            }
        }

        return tags;
    }
}
