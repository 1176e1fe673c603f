namespace OrleansFlow.Gateway.ApiKeys;

/// <summary>Body of <c>POST /api/api_keys/</c>.</summary>
public sealed class ApiKeyCreateRequest
{
    /// <summary>Who or what will hold the key (required, at most 200 characters).</summary>
    public string? Name { get; init; }

    /// <summary><c>read_only</c>, <c>runner</c> or <c>admin</c> (required).</summary>
    public string? Role { get; init; }

    /// <summary>When the key stops working (optional, in the future); none means it works until revoked.</summary>
    public DateTimeOffset? Expires { get; init; }
}
